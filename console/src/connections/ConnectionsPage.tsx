import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { ConnectionsQuery } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { may, useViewer } from '../shell/viewer.ts';
import { ProblemMessage } from '../ui/Problem.tsx';
import { Pager, useCursorPages } from '../ui/paging.tsx';
import { ConnectionForm } from './ConnectionForm.tsx';

const ConnectionsQueryDoc = graphql(`
  query Connections($after: String) {
    connections(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        displayName
        type
        apiHost
        apiKeyMasked
        contributorsCanUse
        canUse
        privacyAcceptedAt
        privacyAcceptedBy {
          email
        }
        exportUser {
          email
        }
      }
    }
    exports(first: 50) {
      nodes {
        id
        name
        connection {
          id
        }
      }
    }
  }
`);

const DeleteConnection = graphql(`
  mutation DeleteConnection($id: ID!) {
    deleteConnection(id: $id)
  }
`);

type Connection = ConnectionsQuery['connections']['nodes'][number];

export function ConnectionsPage() {
  const viewer = useViewer();
  const pages = useCursorPages();
  const [{ data, error, fetching }, refetch] = useQuery({
    query: ConnectionsQueryDoc,
    variables: { after: pages.after },
  });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const admin = may.manageConnections(viewer);
  const connections = data?.connections.nodes ?? [];

  return (
    <>
      <p className="lead">
        An ActiveCampaign account Outbound exports into. Its API key is checked live and never shown again.
      </p>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <ProblemMessage error={error} />
      {admin && !adding && (
        <button type="button" onClick={() => setAdding(true)}>
          Add a connection
        </button>
      )}
      {adding && (
        <ConnectionForm
          onDone={(message) => {
            setAdding(false);
            if (message) setNotice(message);
            reload();
          }}
        />
      )}
      {!fetching && connections.length === 0 && (
        <p className="empty">
          No connections yet. {admin ? 'Add one to start exporting.' : 'An administrator adds them.'}
        </p>
      )}
      <ul className="cards">
        {connections.map((c) => (
          <li key={c.id} className="card">
            {editing === c.id ? (
              <ConnectionForm
                connection={c}
                onDone={(message) => {
                  setEditing(null);
                  if (message) setNotice(message);
                  reload();
                }}
              />
            ) : (
              <ConnectionCard
                connection={c}
                admin={admin}
                onEdit={() => setEditing(c.id)}
                onRemove={() => setRemoving(c.id)}
              />
            )}
            {removing === c.id && (
              <RemoveConnection
                connection={c}
                exports={(data?.exports.nodes ?? []).filter((e) => e.connection.id === c.id)}
                onDone={(removed) => {
                  setRemoving(null);
                  if (removed) setNotice(`Connection “${c.displayName}” removed.`);
                  reload();
                }}
              />
            )}
          </li>
        ))}
      </ul>
      <Pager label="connections" pages={pages} of={data?.connections} />
    </>
  );
}

function ConnectionCard({
  connection: c,
  admin,
  onEdit,
  onRemove,
}: {
  connection: Connection;
  admin: boolean;
  onEdit: () => void;
  onRemove: () => void;
}) {
  const detailed = c.apiHost != null;
  return (
    <>
      <h2>{c.displayName}</h2>
      {detailed ? (
        <dl>
          <dt>API host</dt>
          <dd>{c.apiHost}</dd>
          <dt>API key</dt>
          <dd>{c.apiKeyMasked}</dd>
          <dt>Who may use it</dt>
          <dd>{c.contributorsCanUse ? 'Administrators and contributors' : 'Administrators only'}</dd>
          <dt>Exports run as</dt>
          <dd>{c.exportUser?.email ?? '—'}</dd>
          <dt>Data-privacy terms</dt>
          <dd>
            {c.privacyAcceptedAt
              ? `Accepted ${new Date(c.privacyAcceptedAt).toLocaleString()}${c.privacyAcceptedBy ? ` by ${c.privacyAcceptedBy.email}` : ''}`
              : '—'}
          </dd>
        </dl>
      ) : (
        <p className="muted">
          Administrators only: its settings are not shown to your role, and you cannot export through it.
        </p>
      )}
      {admin && (
        <div className="actions">
          <button type="button" onClick={onEdit}>
            Edit
          </button>
          <button type="button" className="danger" onClick={onRemove}>
            Remove
          </button>
        </div>
      )}
    </>
  );
}

function RemoveConnection({
  connection,
  exports,
  onDone,
}: {
  connection: Connection;
  exports: Array<{ id: string; name: string }>;
  onDone: (removed: boolean) => void;
}) {
  const [{ error, fetching }, remove] = useMutation(DeleteConnection);
  return (
    <section className="confirm" aria-label={`Remove ${connection.displayName}`}>
      <p>
        Remove “{connection.displayName}”?{' '}
        {exports.length === 0
          ? 'No export uses it.'
          : `These exports stop: ${exports.map((e) => `“${e.name}”`).join(', ')}.`}
      </p>
      <ProblemMessage error={error} />
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={fetching}
          onClick={async () => {
            const result = await remove({ id: connection.id });
            if (!result.error) onDone(true);
          }}
        >
          Remove connection
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Keep it
        </button>
      </div>
    </section>
  );
}
