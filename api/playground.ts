import type { GraphiQLOptions } from 'graphql-yoga';
import { consoleCsp, playgroundCsp } from './http-policy.ts';

/** The GraphiQL page, encoded once, and the CSP of exactly that page. */
type Page = { body: Uint8Array<ArrayBuffer>; csp: string };

/** One page a process (the options are fixed), kept as bytes only: the rendered string is let go. */
let cached: { options: string; page: Promise<Page> } | undefined;

/**
 * GraphiQL from the deployment's own dependencies: @graphql-yoga/render-graphiql inlines its scripts, styles,
 * fonts, icon and Monaco's workers into one page (about 9 MB), so the page loads nothing from anywhere else
 * and works air-gapped. The bundle is imported on the first GraphiQL request (never with
 * OUTBOUND_PLAYGROUND=off), the page rendered once and served from memory afterwards.
 */
export function offlinePlayground() {
  let csp = consoleCsp;
  return {
    render: async (options: GraphiQLOptions): Promise<Uint8Array<ArrayBuffer>> => {
      const page = await pageFor(JSON.stringify(options), options);
      csp = page.csp;
      return page.body;
    },
    csp: () => csp,
  };
}

function pageFor(key: string, options: GraphiQLOptions): Promise<Page> {
  if (cached?.options !== key) {
    const page = renderPage(options);
    // A failed import is tried again by the next request.
    page.catch(() => {
      if (cached?.page === page) cached = undefined;
    });
    cached = { options: key, page };
  }
  return cached.page;
}

async function renderPage(options: GraphiQLOptions): Promise<Page> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const html = renderGraphiQL(options);
  return { body: new TextEncoder().encode(html), csp: playgroundCsp(html) };
}
