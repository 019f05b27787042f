import { useEffect, useMemo, useRef, useState } from 'react';
import { Provider, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { problemOf } from '../ui/errors.ts';
import { createApiClient } from './client.ts';
import { PageBody } from './PageBody.tsx';
import { href, pages, useRoute } from './route.ts';
import { SignIn } from './SignIn.tsx';
import { session } from './session.ts';
import { ViewerContext } from './viewer.ts';

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      email
      role
      canWriteProfiles
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
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    document.title = `${title} · Outbound`;
    // After following a link the page's heading has the focus, not the body.
    if (first.current) first.current = false;
    else heading.current?.focus();
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
      <button type="button" className="skip-link" onClick={skipToContent}>
        Skip to content
      </button>
      <header className="top">
        <span className="brand">Outbound</span>
        <nav aria-label="Main">
          {pages.map((p) => (
            <a key={p.page} href={href(p.page)} aria-current={p.page === route.page ? 'page' : undefined}>
              {p.title}
            </a>
          ))}
          <a href="/graphql">GraphiQL</a>
        </nav>
        <span className="who">
          {viewer.email} <span className="role">{viewer.role.toLowerCase()}</span>
        </span>
        <button type="button" className="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="content" tabIndex={-1}>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <PageBody route={route} />
      </main>
    </ViewerContext.Provider>
  );
}

/** The hash holds the route: the skip link moves the focus instead of navigating. */
function skipToContent() {
  document.getElementById('content')?.focus();
}
