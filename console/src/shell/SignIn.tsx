import { type FormEvent, useState } from 'react';

export function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSignedIn(token.trim());
  };
  return (
    <main className="sign-in">
      <h1>Sign in to Outbound</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby="token-help"
        />
        <p id="token-help" className="help">
          Your administrator gives you a token (<code>npm run dev</code> prints the admin’s). It is kept for
          this browser tab only.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
