import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { inputLimits } from '../../../core/input-limits.ts';
import { graphql } from '../gql/index.ts';
import { GeneralProblem, TextAreaField, TextField, useFormProblem } from '../ui/form.tsx';

const CreateSource = graphql(`
  mutation CreateSource($input: CreateSourceInput!) {
    createSource(input: $input) {
      id
      name
    }
  }
`);

const UpdateSource = graphql(`
  mutation UpdateSource($id: ID!, $input: UpdateSourceInput!) {
    updateSource(id: $id, input: $input) {
      id
      name
    }
  }
`);

export type EditedSource = {
  id: string;
  name: string;
  table?: string | null;
  query?: string | null;
  enabled: boolean;
  changeQuery?: string | null;
  changeCheckSeconds: number;
};

const inputOfField = {
  name: 'source-name',
  databaseUrl: 'source-url',
  table: 'source-table',
  query: 'source-query',
  changeQuery: 'source-change-query',
  changeCheckSeconds: 'source-change-seconds',
};

/** A new source, or one being changed; the API checks the database, the table or query and the change query. */
export function SourceForm({
  source,
  onDone,
}: {
  source?: EditedSource;
  onDone: (message?: string) => void;
}) {
  const [created, createSource] = useMutation(CreateSource);
  const [updated, updateSource] = useMutation(UpdateSource);
  const [name, setName] = useState(source?.name ?? '');
  const [databaseUrl, setDatabaseUrl] = useState('');
  const [reads, setReads] = useState<'table' | 'query'>(source?.query ? 'query' : 'table');
  const [table, setTable] = useState(source?.table ?? '');
  const [query, setQuery] = useState(source?.query ?? '');
  const [changeQuery, setChangeQuery] = useState(source?.changeQuery ?? '');
  const [seconds, setSeconds] = useState(String(source?.changeCheckSeconds ?? 60));
  const [enabled, setEnabled] = useState(source?.enabled ?? true);
  const problem = useFormProblem(source ? updated.error : created.error, inputOfField);
  const definition = reads === 'table' ? { table } : { query };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changeCheckSeconds = Number(seconds);
    if (!source) {
      const result = await createSource({
        input: { name, databaseUrl, ...definition, changeQuery: changeQuery || null, changeCheckSeconds },
      });
      if (result.data)
        onDone(`Source “${result.data.createSource.name}” added. It syncs at the next refresh.`);
      return;
    }
    const definitionChanged = reads === 'table' ? table !== source.table : query !== source.query;
    const result = await updateSource({
      id: source.id,
      input: {
        name,
        enabled,
        changeCheckSeconds,
        ...(databaseUrl && { databaseUrl }),
        ...(definitionChanged && definition),
        ...(changeQuery !== (source.changeQuery ?? '') && { changeQuery }),
      },
    });
    if (result.data) onDone(`Source “${result.data.updateSource.name}” saved.`);
  };
  const title = source ? `Edit source “${source.name}”` : 'New source';
  return (
    <form className="panel" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <TextField
        id="source-name"
        autoFocus
        label="Name"
        required
        limit={inputLimits.sourceName}
        value={name}
        onChange={setName}
        error={problem.of('source-name')}
      />
      <TextField
        id="source-url"
        label="Database URL"
        type="password"
        autoComplete="off"
        required={!source}
        value={databaseUrl}
        onChange={setDatabaseUrl}
        help={
          source
            ? 'Leave empty to keep the current one. Stored encrypted, never shown again.'
            : 'postgres://user:password@host:5432/db — a read-only user is best. Stored encrypted, never shown again.'
        }
        error={problem.of('source-url')}
      />
      <fieldset>
        <legend>Reads</legend>
        <label>
          <input
            type="radio"
            name="source-reads"
            checked={reads === 'table'}
            onChange={() => setReads('table')}
          />
          A table or view
        </label>
        <label>
          <input
            type="radio"
            name="source-reads"
            checked={reads === 'query'}
            onChange={() => setReads('query')}
          />
          A query
        </label>
        {reads === 'table' ? (
          <TextField
            id="source-table"
            label="Table"
            required
            value={table}
            onChange={setTable}
            help="With a customer_id column; schema.table is allowed."
            error={problem.of('source-table')}
          />
        ) : (
          <TextAreaField
            id="source-query"
            label="Query"
            value={query}
            onChange={setQuery}
            help="A SELECT returning customer_id and attribute columns."
            error={problem.of('source-query')}
          />
        )}
      </fieldset>
      <fieldset>
        <legend>Sync when the data changes</legend>
        <TextAreaField
          id="source-change-query"
          label="Change query"
          rows={2}
          value={changeQuery}
          onChange={setChangeQuery}
          help="Optional: one value, e.g. select max(updated_at) from customers. When it changes, the source syncs, its segments refresh and their exports run. Empty: only the scheduled refresh syncs it."
          error={problem.of('source-change-query')}
        />
        <TextField
          id="source-change-seconds"
          label="Check every (seconds)"
          type="number"
          min={5}
          max={86400}
          required
          value={seconds}
          onChange={setSeconds}
          error={problem.of('source-change-seconds')}
        />
      </fieldset>
      {source && (
        <div className="field">
          <label>
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            Enabled: synced by every refresh
          </label>
        </div>
      )}
      <GeneralProblem sentence={problem.general} />
      <div className="actions">
        <button type="submit" disabled={created.fetching || updated.fetching}>
          Save source
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
      <p className="help">Saving checks the database and reads the source’s columns.</p>
    </form>
  );
}
