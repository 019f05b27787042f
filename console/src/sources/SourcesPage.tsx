import { useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { ResultsTargets } from '../results-targets/ResultsTargets.tsx';
import { ActionButton } from '../ui/ActionButton.tsx';
import { Card, Cards } from '../ui/Cards.tsx';
import { count, when } from '../ui/format.ts';
import { Notice } from '../ui/Notice.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { useEditing } from '../ui/use-editing.ts';
import { useReloadableQuery } from '../ui/use-reloadable-query.ts';
import { type EditedSource, SourceForm } from './SourceForm.tsx';

const SourcesQuery = graphql(`
  query Sources {
    sources {
      id
      name
      databaseUrlMasked
      table
      query
      enabled
      changeQuery
      changeCheckSeconds
      lastSync {
        ...SyncCounts
        startedAt
        finishedAt
      }
    }
  }
`);

/** What a sync did, as a source's card tells it. */
export const SyncCounts = graphql(`
  fragment SyncCounts on SourceSync {
    id
    status
    read
    added
    updated
    removed
    rejected
    error
  }
`);

const SyncSource = graphql(`
  mutation SyncSource($id: ID!) {
    syncSource(id: $id) {
      ...SyncCounts
    }
  }
`);

const DeleteSource = graphql(`
  mutation DeleteSource($id: ID!) {
    deleteSource(id: $id)
  }
`);

/** Administrators only (shell/PageBody.tsx). */
export function SourcesPage() {
  return (
    <>
      <Sources />
      <ResultsTargets />
    </>
  );
}

function Sources() {
  const { data, error, reload } = useReloadableQuery(SourcesQuery);
  const [synced, syncSource] = useMutation(SyncSource);
  const [removed, deleteSource] = useMutation(DeleteSource);
  const form = useEditing<EditedSource>('new-source', reload);
  return (
    <>
      <p className="lead">
        Databases whose table or query Outbound reads profiles from: at every scheduled refresh, and when
        their change query’s value changes.
      </p>
      <Notice message={form.notice} />
      <ProblemMessage error={error ?? synced.error ?? removed.error} />
      {!form.editing && (
        <div className="actions">
          <button id="new-source" type="button" onClick={() => form.open('new')}>
            New source
          </button>
        </div>
      )}
      {form.editing && <SourceForm source={form.item} onDone={form.close} />}
      <Cards
        items={data?.sources ?? []}
        loaded={Boolean(data)}
        empty="No sources: profiles come from uploads or the API."
      >
        {(s) => (
          <Card key={s.id} name={s.name}>
            <dl>
              <dt>Database</dt>
              <dd className="wrap">{s.databaseUrlMasked}</dd>
              <dt>Reads</dt>
              <dd className="wrap">{s.table ? `the table ${s.table}` : s.query}</dd>
              <dt>State</dt>
              <dd>{s.enabled ? 'Enabled' : 'Disabled'}</dd>
              <dt>Syncs on change</dt>
              <dd className="wrap" data-testid="source-change">
                {s.changeQuery
                  ? `when ${s.changeQuery} changes, checked every ${s.changeCheckSeconds} s`
                  : 'no'}
              </dd>
              <dt>Last sync</dt>
              <dd>
                {s.lastSync
                  ? `${s.lastSync.status.toLowerCase()} ${when(s.lastSync.finishedAt ?? s.lastSync.startedAt)}: ${count(s.lastSync.read)} read, ${count(s.lastSync.added)} added, ${count(s.lastSync.updated)} updated, ${count(s.lastSync.removed)} removed, ${count(s.lastSync.rejected)} rejected`
                  : 'never'}
                {s.lastSync?.error && <span className="problem"> — {s.lastSync.error}</span>}
              </dd>
            </dl>
            <div className="actions">
              <button id={`edit-${s.id}`} type="button" onClick={() => form.open(s)}>
                Edit {s.name}
              </button>
              <ActionButton disabled={synced.fetching} run={() => syncSource({ id: s.id }).finally(reload)}>
                Sync {s.name} now
              </ActionButton>
              <ActionButton
                danger
                confirmation={`Remove the source “${s.name}”? Its profiles stay.`}
                run={() => deleteSource({ id: s.id })}
                onDone={reload}
              >
                Remove {s.name}
              </ActionButton>
            </div>
          </Card>
        )}
      </Cards>
    </>
  );
}
