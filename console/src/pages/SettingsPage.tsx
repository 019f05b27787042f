import { type FormEvent, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ProblemMessage } from '../components/Problem.tsx';
import { when } from '../format.ts';
import type { Role } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { may, useViewer } from '../viewer.ts';

const Schedule = graphql(`
  query RefreshScheduleSettings {
    refreshSchedule {
      cron
      timezone
      nextRunAt
      lastRunAt
      maxConcurrentExports
    }
  }
`);

const UpdateSchedule = graphql(`
  mutation UpdateRefreshSchedule($cron: String!, $timezone: String!) {
    updateRefreshSchedule(cron: $cron, timezone: $timezone) {
      cron
      timezone
      nextRunAt
    }
  }
`);

const Users = graphql(`
  query Users {
    users {
      id
      email
      role
      canWriteProfiles
      createdAt
    }
  }
`);

const UpdateUser = graphql(`
  mutation UpdateUserRole($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
      role
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

const Audit = graphql(`
  query AuditLog {
    auditEvents(first: 50) {
      totalCount
      nodes {
        id
        action
        actorEmail
        subjectType
        subjectId
        createdAt
      }
    }
  }
`);

const roles: Array<{ role: Role; words: string }> = [
  { role: 'ADMIN', words: 'Administrator' },
  { role: 'CONTRIBUTOR', words: 'Contributor' },
  { role: 'VIEWER', words: 'Viewer' },
];

export function SettingsPage() {
  const viewer = useViewer();
  return (
    <>
      <RefreshScheduleSection editable={may.administer(viewer)} />
      {may.administer(viewer) && <UsersSection />}
      {may.administer(viewer) && <AuditSection />}
    </>
  );
}

function RefreshScheduleSection({ editable }: { editable: boolean }) {
  const [{ data, error }] = useQuery({ query: Schedule });
  const [saved, save] = useMutation(UpdateSchedule);
  const [cron, setCron] = useState('');
  const [timezone, setTimezone] = useState('');
  const schedule = data?.refreshSchedule;
  useEffect(() => {
    if (schedule) {
      setCron(schedule.cron);
      setTimezone(schedule.timezone);
    }
  }, [schedule]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save({ cron, timezone });
  };
  const next = saved.data?.updateRefreshSchedule.nextRunAt ?? schedule?.nextRunAt;
  return (
    <section className="panel" aria-labelledby="schedule-title">
      <h2 id="schedule-title">Refresh schedule</h2>
      <p className="help">At each refresh every segment is recomputed and the enabled exports run.</p>
      <ProblemMessage error={error} />
      {schedule && (
        <dl>
          <dt>Next run</dt>
          <dd data-testid="next-run">{when(next)}</dd>
          <dt>Last run</dt>
          <dd>{when(schedule.lastRunAt)}</dd>
          <dt>Exports at a time</dt>
          <dd>{schedule.maxConcurrentExports}</dd>
        </dl>
      )}
      {schedule && editable && (
        <form onSubmit={submit} aria-label="Refresh schedule">
          <div className="field">
            <label htmlFor="schedule-cron">Cron expression</label>
            <input
              id="schedule-cron"
              required
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              aria-describedby="schedule-cron-help"
            />
            <p id="schedule-cron-help" className="help">
              Minute, hour, day of month, month, day of week: <code>0 3 * * *</code> is every day at 03:00.
            </p>
          </div>
          <div className="field">
            <label htmlFor="schedule-tz">Time zone</label>
            <input id="schedule-tz" required value={timezone} onChange={(e) => setTimezone(e.target.value)} />
          </div>
          <ProblemMessage error={saved.error} />
          {saved.data && <p role="status">Schedule saved.</p>}
          <button type="submit" disabled={saved.fetching}>
            Save schedule
          </button>
        </form>
      )}
      {schedule && !editable && (
        <p>
          Runs on <code>{schedule.cron}</code> ({schedule.timezone}). Administrators change it.
        </p>
      )}
    </section>
  );
}

function UsersSection() {
  const viewer = useViewer();
  const [{ data, error }, refetch] = useQuery({ query: Users });
  const [updated, updateUser] = useMutation(UpdateUser);
  const [created, createUser] = useMutation(CreateUser);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('CONTRIBUTOR');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await createUser({ input: { email, role } });
    if (result.data) {
      setEmail('');
      refetch({ requestPolicy: 'network-only' });
    }
  };
  return (
    <section className="panel" aria-labelledby="users-title">
      <h2 id="users-title">Users and roles</h2>
      <p className="help">
        Administrators manage connections, users and the schedule; contributors create and run exports through
        the connections opened to them; viewers only look.
      </p>
      <ProblemMessage error={error ?? updated.error} />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {(data?.users ?? []).map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={u.id === viewer.id}
                    onChange={(e) => updateUser({ id: u.id, input: { role: e.target.value as Role } })}
                  >
                    {roles.map((r) => (
                      <option key={r.role} value={r.role}>
                        {r.words}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{when(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form onSubmit={submit} aria-label="Add a user" className="inline-form">
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
            {roles.map((r) => (
              <option key={r.role} value={r.role}>
                {r.words}
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
    </section>
  );
}

function AuditSection() {
  const [{ data, error }] = useQuery({ query: Audit });
  const events = data?.auditEvents.nodes ?? [];
  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <ProblemMessage error={error} />
      {data && events.length === 0 && <p className="empty">Nothing recorded yet.</p>}
      {events.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Subject</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.createdAt)}</td>
                  <td>{e.actorEmail ?? 'system'}</td>
                  <td>{e.action}</td>
                  <td>
                    {e.subjectType} <span className="muted">{e.subjectId}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
