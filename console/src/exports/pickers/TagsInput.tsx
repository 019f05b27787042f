import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/index.ts';
import { useDebounced } from '../../ui/use-debounced.ts';

const AccountTags = graphql(`
  query AccountTags($connectionId: ID!, $search: String) {
    connection(id: $connectionId) {
      id
      tags(search: $search, first: 20) {
        nodes {
          id
          name
        }
      }
    }
  }
`);

const maxTags = 20;

/** The export's tags: free text, several, with the account's tags as suggestions. */
export function TagsInput({
  connectionId,
  value,
  onChange,
}: {
  connectionId: string;
  value: string[];
  onChange: (tags: string[]) => void;
}) {
  const [draft, setDraft] = useState('');
  const searched = useDebounced(draft.trim());
  const [{ data }] = useQuery({
    query: AccountTags,
    variables: { connectionId, search: searched || null },
    pause: !connectionId,
  });
  const suggestions = (data?.connection.tags.nodes ?? []).filter((t) => !value.includes(t.name));
  const add = () => {
    const names = draft
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t && !value.includes(t));
    if (names.length) onChange([...value, ...names].slice(0, maxTags));
    setDraft('');
  };
  return (
    <fieldset>
      <legend>Tags</legend>
      <p id="export-tags-help" className="help">
        Applied to every contact the export sends; tags the account lacks are created. Up to {maxTags}.
      </p>
      {value.length > 0 && (
        <ul className="tags" aria-label="Tags of the export">
          {value.map((t) => (
            <li key={t}>
              {t}{' '}
              <button type="button" onClick={() => onChange(value.filter((v) => v !== t))}>
                Remove tag {t}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="field-row">
        <label htmlFor="export-tag">Tag</label>
        <input
          id="export-tag"
          list="export-tag-suggestions"
          maxLength={100}
          value={draft}
          aria-describedby="export-tags-help"
          disabled={value.length >= maxTags}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <datalist id="export-tag-suggestions">
          {suggestions.map((t) => (
            <option key={t.id} value={t.name} />
          ))}
        </datalist>
        <button type="button" onClick={add} disabled={!draft.trim() || value.length >= maxTags}>
          Add tag
        </button>
      </div>
    </fieldset>
  );
}
