import { useState } from 'react';
import { useMutation } from 'urql';
import type { ConnectionFieldsFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { may, useViewer } from '../shell/viewer.ts';
import { ActionButton } from '../ui/ActionButton.tsx';
import { Cards } from '../ui/Cards.tsx';
import { Notice } from '../ui/Notice.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { Pager, usePagedQuery } from '../ui/paging.tsx';
import { ConnectionForm } from './ConnectionForm.tsx';

/** A connection as its card shows it; its form's answers bring the same fields. */
export const ConnectionFields = graphql(`
  fragment ConnectionFields on Connection {
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
`);

const ConnectionsQueryDoc = graphql(`
  query Connections($after: String) {
    connections(first: 20, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      nodes {
        ...ConnectionFields
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

type Connection = ConnectionFieldsFragment;

export function ConnectionsPage() {
  const viewer = useViewer();
  const { data, error, fetching, pages, reload } = usePagedQuery(ConnectionsQueryDoc);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const admin = may.manageConnections(viewer);
  /** What a form or a removal leaves: it closes, says what happened and the list is read again. */
  const closing = (close: () => void) => (message?: string) => {
    close();
    if (message) setNotice(message);
    reload();
  };

  return (
    <>
      <p className="lead">
        An ActiveCampaign account Outbound exports into. Its API key is checked live and never shown again.
      </p>
      <Notice message={notice} />
      <ProblemMessage error={error} />
      {admin && !adding && (
        <button type="button" onClick={() => setAdding(true)}>
          Add a connection
        </button>
      )}
      {adding && <ConnectionForm onDone={closing(() => setAdding(false))} />}
      <Cards
        items={data?.connections.nodes ?? []}
        loaded={!fetching}
        empty={`No connections yet. ${admin ? 'Add one to start exporting.' : 'An administrator adds them.'}`}
      >
        {(c) => (
          <li key={c.id} className="card">
            {editing === c.id ? (
              <ConnectionForm connection={c} onDone={closing(() => setEditing(null))} />
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
                onDone={closing(() => setRemoving(null))}
              />
            )}
          </li>
        )}
      </Cards>
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
  onDone: (message?: string) => void;
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
        <ActionButton
          danger
          disabled={fetching}
          run={() => remove({ id: connection.id })}
          onDone={() => onDone(`Connection “${connection.displayName}” removed.`)}
        >
          Remove connection
        </ActionButton>
        <button type="button" onClick={() => onDone()}>
          Keep it
        </button>
      </div>
    </section>
  );
}
