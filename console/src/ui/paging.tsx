import { useState } from 'react';
import { type AnyVariables, type DocumentInput, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';

/** What the pager reads of a connection's page: spread into every paged query's `pageInfo`. */
export const PageCursor = graphql(`
  fragment PageCursor on PageInfo {
    hasNextPage
    endCursor
  }
`);

export type PageInfo = { hasNextPage: boolean; endCursor?: string | null };

/** Cursor paging forward with a way back: the cursors of the pages seen so far. */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  return {
    after: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    next: (cursor: string | null | undefined) => cursor && setCursors([...cursors, cursor]),
    previous: () => setCursors(cursors.slice(0, -1)),
    reset: () => setCursors([null]),
  };
}

/**
 * A query of one page of a connection (`$after`), the pages seen so far, and a reload that asks the API
 * again (after a change).
 */
export function usePagedQuery<Data, Variables extends AnyVariables & { after?: string | null }>(
  query: DocumentInput<Data, Variables>,
) {
  const pages = useCursorPages();
  const [{ data, error, fetching }, refetch] = useQuery<Data, Variables>({
    query,
    variables: { after: pages.after } as Variables,
  });
  return { data, error, fetching, pages, reload: () => refetch({ requestPolicy: 'network-only' }) };
}

/** A page of a connection, as the pager reads it. */
export type Paged = { pageInfo: PageInfo; totalCount?: number };

/** Previous / next buttons under a list (`of`: the connection's page), with the page and the total. */
export function Pager({
  label,
  pages,
  of,
}: {
  label: string;
  pages: ReturnType<typeof useCursorPages>;
  of?: Paged;
}) {
  const pageInfo = of?.pageInfo;
  const total = of?.totalCount;
  if (!pageInfo || (pages.page === 1 && !pageInfo.hasNextPage)) return null;
  return (
    <nav className="pager" aria-label={`Pages of ${label}`}>
      <button type="button" disabled={pages.page === 1} onClick={pages.previous}>
        Previous page
      </button>
      <span>
        Page {pages.page}
        {total != null && ` · ${total.toLocaleString()} in all`}
      </span>
      <button type="button" disabled={!pageInfo.hasNextPage} onClick={() => pages.next(pageInfo.endCursor)}>
        Next page
      </button>
    </nav>
  );
}
