import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { GeneralProblem, TextField, useFormProblem } from '../ui/form.tsx';

const CreateResultsTarget = graphql(`
  mutation CreateResultsTarget($input: CreateResultsTargetInput!) {
    createResultsTarget(input: $input) {
      id
      name
    }
  }
`);

const UpdateResultsTarget = graphql(`
  mutation UpdateResultsTarget($id: ID!, $input: UpdateResultsTargetInput!) {
    updateResultsTarget(id: $id, input: $input) {
      id
      name
    }
  }
`);

export type EditedTarget = { id: string; name: string; schema: string };

const inputOfField = { name: 'target-name', databaseUrl: 'target-url', schema: 'target-schema' };

/** A new results target, or one being changed; the API logs in to the database before saving. */
export function ResultsTargetForm({
  target,
  onDone,
}: {
  target?: EditedTarget;
  onDone: (message?: string) => void;
}) {
  const [created, createTarget] = useMutation(CreateResultsTarget);
  const [updated, updateTarget] = useMutation(UpdateResultsTarget);
  const [name, setName] = useState(target?.name ?? '');
  const [databaseUrl, setDatabaseUrl] = useState('');
  const [schema, setSchema] = useState(target?.schema ?? 'outbound');
  const problem = useFormProblem(target ? updated.error : created.error, inputOfField);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) {
      const result = await createTarget({ input: { name, databaseUrl, schema } });
      if (result.data) onDone(`Results target “${result.data.createResultsTarget.name}” added.`);
      return;
    }
    const result = await updateTarget({
      id: target.id,
      input: { name, schema, ...(databaseUrl && { databaseUrl }) },
    });
    if (result.data) onDone(`Results target “${result.data.updateResultsTarget.name}” saved.`);
  };
  const title = target ? `Edit results target “${target.name}”` : 'New results target';
  return (
    <form className="panel" onSubmit={submit} aria-label={title}>
      <h3>{title}</h3>
      <TextField
        id="target-name"
        autoFocus
        label="Name"
        required
        limit={100}
        value={name}
        onChange={setName}
        error={problem.of('target-name')}
      />
      <TextField
        id="target-url"
        label="Database URL"
        type="password"
        autoComplete="off"
        required={!target}
        value={databaseUrl}
        onChange={setDatabaseUrl}
        help={
          target
            ? 'Leave empty to keep the current one. Stored encrypted, never shown again.'
            : 'postgres://user:password@host:5432/db — the user needs CREATE on the database. Stored encrypted, never shown again.'
        }
        error={problem.of('target-url')}
      />
      <TextField
        id="target-schema"
        label="Schema"
        required
        value={schema}
        onChange={setSchema}
        help="A lowercase name; created if missing. Outbound writes outbound_runs, outbound_run_contacts and outbound_list_members there."
        error={problem.of('target-schema')}
      />
      <GeneralProblem sentence={problem.general} />
      <div className="actions">
        <button type="submit" disabled={created.fetching || updated.fetching}>
          Save results target
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
