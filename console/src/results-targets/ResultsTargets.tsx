import { useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { ActionButton } from '../ui/ActionButton.tsx';
import { when } from '../ui/format.ts';
import { Notice } from '../ui/Notice.tsx';
import { PagedTable } from '../ui/PagedTable.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { usePagedQuery } from '../ui/paging.tsx';
import { useEditing } from '../ui/use-editing.ts';
import { type EditedTarget, ResultsTargetForm } from './ResultsTargetForm.tsx';

const ResultsTargetsQuery = graphql(`
  query ResultsTargets($after: String) {
    resultsTargets(first: 20, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
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
  const { data, error, pages, reload } = usePagedQuery(ResultsTargetsQuery);
  const [removed, deleteTarget] = useMutation(DeleteResultsTarget);
  const form = useEditing<EditedTarget>('new-results-target', reload);
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
      {form.editing && <ResultsTargetForm target={form.item} onDone={form.close} />}
      <PagedTable
        label="Results targets"
        pagerLabel="results targets"
        page={data?.resultsTargets}
        pages={pages}
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
                <ActionButton
                  danger
                  confirmation={`Remove the results target “${t.name}”? What it holds stays.`}
                  run={() => deleteTarget({ id: t.id })}
                  onDone={() => form.close(`Results target “${t.name}” removed.`)}
                >
                  Remove {t.name}
                </ActionButton>
              </div>
            ),
          },
        ]}
      />
    </section>
  );
}
