import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { adminsOnly, may, useViewer } from '../shell/viewer.ts';
import { count, when } from '../ui/format.ts';
import { ProblemMessage } from '../ui/Problem.tsx';

const SourcesQuery = graphql(`
  query Sources {
    sources {
      id
      name
      databaseUrlMasked
      table
      query
      enabled
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
  return <Sources />;
}

function Sources() {
  const [{ data, error }, refetch] = useQuery({ query: SourcesQuery });
  const [synced, syncSource] = useMutation(SyncSource);
  const [removed, deleteSource] = useMutation(DeleteSource);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <p className="lead">
        Databases whose table or query Outbound reads profiles from. Add one with the API (createSource, see
        GraphiQL) or <code>npm run cli</code>.
      </p>
      <ProblemMessage error={error ?? synced.error ?? removed.error} />
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
              <dt>Last sync</dt>
              <dd>
                {s.lastSync
                  ? `${s.lastSync.status.toLowerCase()} ${when(s.lastSync.finishedAt ?? s.lastSync.startedAt)}: ${count(s.lastSync.read)} read, ${count(s.lastSync.added)} added, ${count(s.lastSync.updated)} updated, ${count(s.lastSync.removed)} removed, ${count(s.lastSync.rejected)} rejected`
                  : 'never'}
                {s.lastSync?.error && <span className="problem"> — {s.lastSync.error}</span>}
              </dd>
            </dl>
            <div className="actions">
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
