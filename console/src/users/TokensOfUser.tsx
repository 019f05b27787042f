import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { inputLimits } from '../../../core/input-limits.ts';
import { graphql } from '../gql/index.ts';
import { GeneralProblem, TextField, useFormProblem } from '../ui/form.tsx';
import { when } from '../ui/format.ts';
import { ProblemMessage } from '../ui/Problem.tsx';

const CreateToken = graphql(`
  mutation CreateToken($input: CreateTokenInput!) {
    createToken(input: $input) {
      token
    }
  }
`);

const RevokeToken = graphql(`
  mutation RevokeToken($id: ID!) {
    revokeToken(id: $id) {
      id
    }
  }
`);

type Token = {
  id: string;
  name: string;
  masked: string;
  expiresAt?: string | null;
  lastUsedAt?: string | null;
};

/** A user's tokens: listed masked, revoked, and a new one shown once with a copy button. */
export function TokensOfUser({
  userId,
  email,
  tokens,
  onChange,
}: {
  userId: string;
  email: string;
  tokens: Token[];
  onChange: () => void;
}) {
  const [created, createToken] = useMutation(CreateToken);
  const [revoked, revokeToken] = useMutation(RevokeToken);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [copied, setCopied] = useState(false);
  const prefix = `token-${userId}`;
  const problem = useFormProblem(created.error, { name: `${prefix}-name`, expiresAt: `${prefix}-expires` });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await createToken({
      input: { userId, name, expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null },
    });
    if (result.data) {
      setName('');
      setCopied(false);
      onChange();
    }
  };
  return (
    <section aria-label={`Tokens of ${email}`}>
      <h3>Tokens</h3>
      {tokens.length === 0 && <p className="empty">No tokens: this user cannot sign in.</p>}
      <ul className="plain">
        {tokens.map((t) => (
          <li key={t.id}>
            <strong>{t.name}</strong> <code>{t.masked}</code>{' '}
            <span className="muted">
              {t.expiresAt ? `expires ${when(t.expiresAt)}` : 'never expires'} · last used{' '}
              {t.lastUsedAt ? when(t.lastUsedAt) : 'never'}
            </span>{' '}
            <button
              type="button"
              className="danger"
              onClick={async () => {
                if (!confirm(`Revoke the token “${t.name}” of ${email}? Whatever uses it stops working.`))
                  return;
                const result = await revokeToken({ id: t.id });
                if (!result.error) onChange();
              }}
            >
              Revoke {t.name}
            </button>
          </li>
        ))}
      </ul>
      <ProblemMessage error={revoked.error} />
      <form onSubmit={submit} aria-label={`New token for ${email}`} className="inline-form">
        <TextField
          id={`${prefix}-name`}
          label="Token name"
          required
          limit={inputLimits.tokenName}
          value={name}
          onChange={setName}
          error={problem.of(`${prefix}-name`)}
        />
        <TextField
          id={`${prefix}-expires`}
          label="Expires on (optional)"
          type="date"
          value={expires}
          onChange={setExpires}
          error={problem.of(`${prefix}-expires`)}
        />
        <button type="submit" disabled={created.fetching}>
          Create token
        </button>
      </form>
      <GeneralProblem sentence={problem.general} />
      {created.data && (
        <p role="status" className="notice">
          New token, shown only now: <code className="token">{created.data.createToken.token}</code>{' '}
          <button
            type="button"
            onClick={async () => {
              await navigator.clipboard?.writeText(created.data?.createToken.token ?? '');
              setCopied(true);
            }}
          >
            {copied ? 'Copied' : 'Copy token'}
          </button>
        </p>
      )}
    </section>
  );
}
