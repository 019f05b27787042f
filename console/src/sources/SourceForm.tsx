import { inputLimits } from '../../../core/input-limits.ts';
import { graphql } from '../gql/index.ts';
import { EditorForm } from '../ui/EditorForm.tsx';
import { CheckboxField, RadioGroup, TextAreaField, TextField, useForm } from '../ui/form.tsx';
import { useSave } from '../ui/use-save.ts';

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
  const save = useSave(Boolean(source), CreateSource, UpdateSource);
  const form = useForm(
    {
      name: source?.name ?? '',
      databaseUrl: '',
      reads: (source?.query ? 'query' : 'table') as 'table' | 'query',
      table: source?.table ?? '',
      query: source?.query ?? '',
      changeQuery: source?.changeQuery ?? '',
      changeCheckSeconds: String(source?.changeCheckSeconds ?? 60),
      enabled: source?.enabled ?? true,
    },
    inputOfField,
    save.error,
  );
  const { name, databaseUrl, reads, table, query, changeQuery, enabled } = form.values;
  const definition = reads === 'table' ? { table } : { query };

  const submit = async () => {
    const changeCheckSeconds = Number(form.values.changeCheckSeconds);
    if (!source) {
      const result = await save.create({
        input: { name, databaseUrl, ...definition, changeQuery: changeQuery || null, changeCheckSeconds },
      });
      if (result.data)
        onDone(`Source “${result.data.createSource.name}” added. It syncs at the next refresh.`);
      return;
    }
    const definitionChanged = reads === 'table' ? table !== source.table : query !== source.query;
    const result = await save.update({
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
    <EditorForm
      title={title}
      onSubmit={submit}
      onCancel={() => onDone()}
      saveLabel="Save source"
      saving={save.saving}
      problem={form.problem.general}
      footnote="Saving checks the database and reads the source’s columns."
    >
      <TextField {...form.text('name')} autoFocus label="Name" required limit={inputLimits.sourceName} />
      <TextField
        {...form.text('databaseUrl')}
        label="Database URL"
        type="password"
        autoComplete="off"
        required={!source}
        help={
          source
            ? 'Leave empty to keep the current one. Stored encrypted, never shown again.'
            : 'postgres://user:password@host:5432/db — a read-only user is best. Stored encrypted, never shown again.'
        }
      />
      <RadioGroup
        legend="Reads"
        name="source-reads"
        value={reads}
        onChange={form.set('reads')}
        choices={[
          { value: 'table', label: 'A table or view' },
          { value: 'query', label: 'A query' },
        ]}
      >
        {reads === 'table' ? (
          <TextField
            {...form.text('table')}
            label="Table"
            required
            help="With a customer_id column; schema.table is allowed."
          />
        ) : (
          <TextAreaField
            {...form.text('query')}
            label="Query"
            help="A SELECT returning customer_id and attribute columns."
          />
        )}
      </RadioGroup>
      <fieldset>
        <legend>Sync when the data changes</legend>
        <TextAreaField
          {...form.text('changeQuery')}
          label="Change query"
          rows={2}
          help="Optional: one value, e.g. select max(updated_at) from customers. When it changes, the source syncs, its segments refresh and their exports run. Empty: only the scheduled refresh syncs it."
        />
        <TextField
          {...form.text('changeCheckSeconds')}
          label="Check every (seconds)"
          type="number"
          min={5}
          max={86400}
          required
        />
      </fieldset>
      {source && (
        <CheckboxField
          label="Enabled: synced by every refresh"
          checked={enabled}
          onChange={form.set('enabled')}
        />
      )}
    </EditorForm>
  );
}
