import { graphql } from '../gql/index.ts';
import { EditorForm } from '../ui/EditorForm.tsx';
import { TextField, useForm } from '../ui/form.tsx';
import { useSave } from '../ui/use-save.ts';

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
  const save = useSave(Boolean(target), CreateResultsTarget, UpdateResultsTarget);
  const form = useForm(
    { name: target?.name ?? '', databaseUrl: '', schema: target?.schema ?? 'outbound' },
    inputOfField,
    save.error,
  );
  const { name, databaseUrl, schema } = form.values;
  const submit = async () => {
    if (!target) {
      const result = await save.create({ input: { name, databaseUrl, schema } });
      if (result.data) onDone(`Results target “${result.data.createResultsTarget.name}” added.`);
      return;
    }
    const result = await save.update({
      id: target.id,
      input: { name, schema, ...(databaseUrl && { databaseUrl }) },
    });
    if (result.data) onDone(`Results target “${result.data.updateResultsTarget.name}” saved.`);
  };
  const title = target ? `Edit results target “${target.name}”` : 'New results target';
  return (
    <EditorForm
      title={title}
      heading="h3"
      onSubmit={submit}
      onCancel={() => onDone()}
      saveLabel="Save results target"
      saving={save.saving}
      problem={form.problem.general}
    >
      <TextField {...form.text('name')} autoFocus label="Name" required limit={100} />
      <TextField
        {...form.text('databaseUrl')}
        label="Database URL"
        type="password"
        autoComplete="off"
        required={!target}
        help={
          target
            ? 'Leave empty to keep the current one. Stored encrypted, never shown again.'
            : 'postgres://user:password@host:5432/db — the user needs CREATE on the database. Stored encrypted, never shown again.'
        }
      />
      <TextField
        {...form.text('schema')}
        label="Schema"
        required
        help="A lowercase name; created if missing. Outbound writes outbound_runs, outbound_run_contacts and outbound_list_members there."
      />
    </EditorForm>
  );
}
