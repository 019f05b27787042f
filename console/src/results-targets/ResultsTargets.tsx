import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { when } from '../ui/format.ts';
import { Notice } from '../ui/Notice.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { Pager, useCursorPages } from '../ui/paging.tsx';
import { useEditing } from '../ui/use-editing.ts';
import { type EditedTarget, ResultsTargetForm } from './ResultsTargetForm.tsx';

const ResultsTargetsQuery = graphql(`
  query ResultsTargets($after: String) {
    resultsTargets(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        schema
        databaseUrlMasked
        lastWrittenAt
      }
    }
  }
`);

const DeleteResultsTarget = graphql(`
  mutation DeleteResultsTarget($id: ID!) {
    deleteResultsTarget(id: $id)
  }
`);

/** The databases run results are written into (admins only): list, add, edit, remove. */
export function ResultsTargets() {
  const pages = useCursorPages();
  const [{ data, error }, refetch] = useQuery({
    query: ResultsTargetsQuery,
    variables: { after: pages.after },
  });
  const [removed, deleteTarget] = useMutation(DeleteResultsTarget);
  const form = useEditing<EditedTarget>('new-results-target');
  const done = (message?: string) => {
    form.close(message);
    refetch({ requestPolicy: 'network-only' });
  };
  return (
    <section className="panel" aria-labelledby="results-targets-title">
      <h2 id="results-targets-title">Results targets</h2>
      <p className="help">
        Your own Postgres: after every run of an export naming one, Outbound writes the run, each contact’s
        outcome and the list’s members there (customer ids only), for SQL next to your tables.
      </p>
      <Notice message={form.notice} />
      <ProblemMessage error={error ?? removed.error} />
      {!form.editing && (
        <button id="new-results-target" type="button" onClick={() => form.open('new')}>
          New results target
        </button>
      )}
      {form.editing && (
        <ResultsTargetForm target={form.editing === 'new' ? undefined : form.editing} onDone={done} />
      )}
      <DataTable
        label="Results targets"
        rows={data?.resultsTargets.nodes}
        rowKey={(t) => t.id}
        empty="No results targets: runs are recorded in Outbound only."
        columns={[
          { title: 'Name', cell: (t) => t.name },
          { title: 'Database', cell: (t) => <span className="wrap">{t.databaseUrlMasked}</span> },
          { title: 'Schema', cell: (t) => t.schema },
          { title: 'Last written', cell: (t) => (t.lastWrittenAt ? when(t.lastWrittenAt) : 'never') },
          {
            title: 'Actions',
            cell: (t) => (
              <div className="actions">
                <button id={`edit-${t.id}`} type="button" onClick={() => form.open(t)}>
                  Edit {t.name}
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={async () => {
                    if (!confirm(`Remove the results target “${t.name}”? What it holds stays.`)) return;
                    const result = await deleteTarget({ id: t.id });
                    if (!result.error) done(`Results target “${t.name}” removed.`);
                  }}
                >
                  Remove {t.name}
                </button>
              </div>
            ),
          },
        ]}
      />
      <Pager label="results targets" pages={pages} of={data?.resultsTargets} />
    </section>
  );
}
