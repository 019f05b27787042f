import { useEffect, useMemo, useState } from 'react';
import { Provider, useQuery } from 'urql';
import { createApiClient } from './client.ts';
import { problemOf } from './errors.ts';
import { graphql } from './gql/index.ts';
import { ConnectionsPage } from './pages/ConnectionsPage.tsx';
import { ExportsPage } from './pages/ExportsPage.tsx';
import { RunsPage } from './pages/RunsPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { href, pages, useRoute } from './route.ts';
import { session } from './session.ts';
import { ViewerContext } from './viewer.ts';

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      email
      role
    }
  }
`);

export function App() {
  const [token, setToken] = useState(session.token);
  const client = useMemo(() => (token ? createApiClient(token) : null), [token]);
  const signOut = () => {
    session.signOut();
    setToken(null);
  };
  if (!token || !client)
    return (
      <SignIn
        onSignedIn={(t) => {
          session.signIn(t);
          setToken(t);
        }}
      />
    );
  return (
    <Provider value={client}>
      <SignedIn onSignOut={signOut} />
    </Provider>
  );
}

function SignedIn({ onSignOut }: { onSignOut: () => void }) {
  const [{ data, error, fetching }] = useQuery({ query: ViewerQuery, requestPolicy: 'network-only' });
  const route = useRoute();
  const title = pages.find((p) => p.page === route.page)?.title ?? '';
  useEffect(() => {
    document.title = `${title} · Outbound`;
  }, [title]);
  if (fetching && !data) return <p className="loading">Loading…</p>;
  const viewer = data?.viewer;
  if (error || !viewer) {
    return (
      <main className="sign-in">
        <p role="alert">{error ? problemOf(error).sentence : 'This token is not valid (any more).'}</p>
        <button type="button" onClick={onSignOut}>
          Sign in again
        </button>
      </main>
    );
  }
  return (
    <ViewerContext.Provider value={viewer}>
      <header className="top">
        <span className="brand">Outbound</span>
        <nav aria-label="Main">
          {pages.map((p) => (
            <a key={p.page} href={href(p.page)} aria-current={p.page === route.page ? 'page' : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
        <span className="who">
          {viewer.email} <span className="role">{viewer.role.toLowerCase()}</span>
        </span>
        <button type="button" className="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        <h1>{title}</h1>
        {route.page === 'connections' && <ConnectionsPage />}
        {route.page === 'exports' && <ExportsPage />}
        {route.page === 'runs' && (
          <RunsPage exportId={route.params.get('export')} runId={route.params.get('run')} />
        )}
        {route.page === 'settings' && <SettingsPage />}
      </main>
    </ViewerContext.Provider>
  );
}
