import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { ResultsTargets } from '../results-targets/ResultsTargets.tsx';
import { adminsOnly, may, useViewer } from '../shell/viewer.ts';
import { count, when } from '../ui/format.ts';
import { Notice } from '../ui/Notice.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { useEditing } from '../ui/use-editing.ts';
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
        id
        status
        startedAt
        finishedAt
        read
        added
        updated
        removed
        rejected
        error
      }
    }
  }
`);

const SyncSource = graphql(`
  mutation SyncSource($id: ID!) {
    syncSource(id: $id) {
      id
      status
      read
      added
      updated
      removed
      rejected
      error
    }
  }
`);

const DeleteSource = graphql(`
  mutation DeleteSource($id: ID!) {
    deleteSource(id: $id)
  }
`);

export function SourcesPage() {
  const viewer = useViewer();
  if (!may.administer(viewer)) return <p className="help">{adminsOnly}</p>;
  return (
    <>
      <Sources />
      <ResultsTargets />
    </>
  );
}

function Sources() {
  const [{ data, error }, refetch] = useQuery({ query: SourcesQuery });
  const [synced, syncSource] = useMutation(SyncSource);
  const [removed, deleteSource] = useMutation(DeleteSource);
  const form = useEditing<EditedSource>('new-source');
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const done = (message?: string) => {
    form.close(message);
    reload();
  };
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
      {form.editing && (
        <SourceForm source={form.editing === 'new' ? undefined : form.editing} onDone={done} />
      )}
      {data && data.sources.length === 0 && (
        <p className="empty">No sources: profiles come from uploads or the API.</p>
      )}
      <ul className="cards">
        {(data?.sources ?? []).map((s) => (
          <li key={s.id} className="card" aria-label={s.name}>
            <h2>{s.name}</h2>
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
              <button
                type="button"
                disabled={synced.fetching}
                onClick={async () => {
                  await syncSource({ id: s.id });
                  reload();
                }}
              >
                Sync {s.name} now
              </button>
              <button
                type="button"
                className="danger"
                onClick={async () => {
                  if (!confirm(`Remove the source “${s.name}”? Its profiles stay.`)) return;
                  const result = await deleteSource({ id: s.id });
                  if (!result.error) reload();
                }}
              >
                Remove {s.name}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
