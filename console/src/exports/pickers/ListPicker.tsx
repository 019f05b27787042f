import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/index.ts';
import { AccountUnreadable } from '../../ui/AccountUnreadable.tsx';
import { useDebounced } from '../../ui/use-debounced.ts';

const AccountLists = graphql(`
  query AccountLists($connectionId: ID!, $search: String, $after: String) {
    connection(id: $connectionId) {
      id
      lists(search: $search, first: 100, after: $after) {
        totalCount
        nodes {
          id
          name
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** The ActiveCampaign list of an export, chosen by name from the account's lists. */
export function ListPicker({
  connectionId,
  value,
  onChange,
}: {
  connectionId: string;
  value: string;
  onChange: (id: string) => void;
}) {
  const [search, setSearch] = useState('');
  const [after, setAfter] = useState<string | null>(null);
  const searched = useDebounced(search);
  const [{ data, error, fetching }] = useQuery({
    query: AccountLists,
    variables: { connectionId, search: searched || null, after },
    pause: !connectionId,
  });
  const page = data?.connection?.lists;
  const lists = page?.nodes ?? [];
  const chosenShown = !value || lists.some((l) => l.id === value);
  return (
    <div className="field">
      <label htmlFor="export-list-search">Find a list</label>
      <input
        id="export-list-search"
        type="search"
        disabled={!connectionId}
        value={search}
        onChange={(e) => {
          setSearch(e.target.value);
          setAfter(null);
        }}
        aria-describedby="export-list-help"
      />
      <label htmlFor="export-list">List</label>
      <select
        id="export-list"
        required
        disabled={!connectionId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby="export-list-help"
      >
        <option value="">{connectionId ? 'Choose a list' : 'Choose a connection first'}</option>
        {!chosenShown && <option value={value}>The chosen list (id {value})</option>}
        {lists.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
      <p id="export-list-help" className="help">
        {!connectionId
          ? 'The lists of the connection’s ActiveCampaign account.'
          : fetching
            ? 'Reading the account’s lists…'
            : page
              ? `${page.totalCount.toLocaleString()} ${page.totalCount === 1 ? 'list' : 'lists'}${search ? ` named like “${search}”` : ' in the account'}${page.totalCount > lists.length ? `, ${lists.length.toLocaleString()} shown` : ''}.`
              : ''}
      </p>
      {(after || page?.pageInfo.hasNextPage) && (
        <div className="actions">
          {after && (
            <button type="button" onClick={() => setAfter(null)}>
              First lists
            </button>
          )}
          {page?.pageInfo.hasNextPage && (
            <button type="button" onClick={() => setAfter(page.pageInfo.endCursor ?? null)}>
              Next lists
            </button>
          )}
        </div>
      )}
      {error && <AccountUnreadable error={error} what="lists" />}
    </div>
  );
}
