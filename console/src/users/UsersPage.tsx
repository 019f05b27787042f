import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { Role } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { adminsOnly, may, useViewer } from '../shell/viewer.ts';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { when } from '../ui/format.ts';
import { Notice } from '../ui/Notice.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { TokensOfUser } from './TokensOfUser.tsx';

const UsersQuery = graphql(`
  query Users {
    users {
      id
      email
      role
      canWriteProfiles
      createdAt
      tokens {
        id
        name
        masked
        createdAt
        expiresAt
        lastUsedAt
      }
    }
  }
`);

const UpdateUser = graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
      role
      canWriteProfiles
    }
  }
`);

const CreateUser = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      token
      user {
        id
        email
        role
      }
    }
  }
`);

const RemoveUser = graphql(`
  mutation RemoveUser($id: ID!) {
    removeUser(id: $id) {
      user {
        id
        email
      }
      reassignedConnections {
        id
        displayName
      }
    }
  }
`);

export const roleWords: Record<Role, string> = {
  ADMIN: 'Administrator',
  CONTRIBUTOR: 'Contributor',
  VIEWER: 'Viewer',
};

export function UsersPage() {
  const viewer = useViewer();
  if (!may.administer(viewer)) return <p className="help">{adminsOnly}</p>;
  return <Users />;
}

function Users() {
  const viewer = useViewer();
  const [{ data, error }, refetch] = useQuery({ query: UsersQuery });
  const [updated, updateUser] = useMutation(UpdateUser);
  const [created, createUser] = useMutation(CreateUser);
  const [removal, removeUser] = useMutation(RemoveUser);
  const [removing, setRemoving] = useState<{
    id: string;
    email: string;
    role: Role;
    tokens: unknown[];
  } | null>(null);
  const [notice, setNotice] = useState('');
  // Gone from the page at once, with the dialog: the refetch that follows agrees.
  const [removedIds, setRemovedIds] = useState<string[]>([]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('CONTRIBUTOR');
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await createUser({ input: { email, role } });
    if (result.data) {
      setEmail('');
      reload();
    }
  };
  return (
    <>
      <p className="lead">
        Administrators manage connections, users and the schedule; contributors create and run exports through
        the connections opened to them; viewers only look. A removed user’s tokens stop working at once; what
        they did stays in the audit log.
      </p>
      <ProblemMessage error={error ?? updated.error} />
      <Notice message={notice} />
      <ul className="cards">
        {(data?.users ?? [])
          .filter((u) => !removedIds.includes(u.id))
          .map((u) => (
            <li key={u.id} className="card" aria-label={u.email}>
              <h2>{u.email}</h2>
              <p className="muted">Since {when(u.createdAt)}</p>
              <div className="field">
                <label htmlFor={`role-${u.id}`}>Role</label>
                <select
                  id={`role-${u.id}`}
                  value={u.role}
                  disabled={u.id === viewer.id}
                  aria-describedby={u.id === viewer.id ? `role-${u.id}-help` : undefined}
                  onChange={(e) => updateUser({ id: u.id, input: { role: e.target.value as Role } })}
                >
                  {Object.entries(roleWords).map(([r, words]) => (
                    <option key={r} value={r}>
                      {words}
                    </option>
                  ))}
                </select>
                {u.id === viewer.id && (
                  <p id={`role-${u.id}-help`} className="help">
                    Your own role is changed by another administrator.
                  </p>
                )}
              </div>
              {u.role === 'CONTRIBUTOR' && (
                <label>
                  <input
                    type="checkbox"
                    checked={u.canWriteProfiles}
                    onChange={(e) => updateUser({ id: u.id, input: { canWriteProfiles: e.target.checked } })}
                  />
                  May upload profiles
                </label>
              )}
              {u.role !== 'CONTRIBUTOR' && (
                <p className="help">
                  {u.role === 'ADMIN'
                    ? 'Uploads profiles (every administrator may).'
                    : 'Does not upload profiles.'}
                </p>
              )}
              <TokensOfUser userId={u.id} email={u.email} tokens={u.tokens} onChange={reload} />
              {u.id !== viewer.id && (
                <div className="actions">
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Remove user ${u.email}`}
                    onClick={() => {
                      setNotice('');
                      setRemoving(u);
                    }}
                  >
                    Remove user
                  </button>
                </div>
              )}
            </li>
          ))}
      </ul>
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.email}?`}
          confirmLabel="Remove user"
          busy={removal.fetching}
          error={removal.error}
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            const result = await removeUser({ id: removing.id });
            const done = result.data?.removeUser;
            if (!done) return;
            const handedOver = done.reassignedConnections.map((c) => `“${c.displayName}”`).join(', ');
            setRemoving(null);
            setRemovedIds((ids) => [...ids, done.user.id]);
            setNotice(
              `${done.user.email} was removed.${handedOver ? ` Exports on ${handedOver} now run on your behalf.` : ''}`,
            );
            reload();
          }}
        >
          <ul>
            <li>
              {removing.tokens.length === 0
                ? 'They have no token left'
                : removing.tokens.length === 1
                  ? 'Their token stops working at once'
                  : `Their ${removing.tokens.length} tokens stop working at once`}
              : they can no longer sign in or use the API.
            </li>
            <li>They leave this list. The audit log and runs keep showing what they did.</li>
            {removing.role === 'ADMIN' && (
              <li>Connections whose exports run on their behalf pass to you, and keep running.</li>
            )}
            <li>This cannot be undone; their email can be given to a new user later.</li>
          </ul>
        </ConfirmDialog>
      )}
      <form onSubmit={submit} aria-label="Add a user" className="panel inline-form">
        <div className="field">
          <label htmlFor="new-user-email">Email of a new user</label>
          <input
            id="new-user-email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="new-user-role">Role</label>
          <select id="new-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {Object.entries(roleWords).map(([r, words]) => (
              <option key={r} value={r}>
                {words}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={created.fetching}>
          Add user
        </button>
      </form>
      <ProblemMessage error={created.error} />
      {created.data && (
        <p role="status" className="notice">
          {created.data.createUser.user.email} can sign in with this token, shown only now:{' '}
          <code className="token">{created.data.createUser.token}</code>
        </p>
      )}
    </>
  );
}
