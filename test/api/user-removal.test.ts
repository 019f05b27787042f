import { describe, expect, onTestFinished, test } from 'vitest';
import { createApi } from '../../api/yoga.ts';
import { openApiDeps } from '../../scripts/lib/api-deps.ts';
import { insertProfiles, makeProfiles, newAccount, withFakeAndOutbound } from '../support/fixtures.ts';
import { graphqlHelpers } from '../support/outbound.ts';
import { startPgProxy } from '../support/pg-proxy.ts';
import { waitForRun } from '../support/runs.ts';
import { auditDoc, expectRejected } from './helpers.ts';

const stack = withFakeAndOutbound(60);

const createUserDoc = `mutation($input: CreateUserInput!) {
  createUser(input: $input) { token user { id email role } }
}`;
const removeUserDoc = `mutation($id: ID!) {
  removeUser(id: $id) {
    user { id email removedAt tokens { id } }
    reassignedConnections { id exportUser { email } }
  }
}`;
const usersDoc = 'query($all: Boolean) { users(includeRemoved: $all) { id email removedAt } }';

type AuditNode = {
  action: string;
  actorEmail: string | null;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown> | null;
};

let users = 0;
/** A new user with a token; `email` unique per call unless given. */
async function addUser(role: 'ADMIN' | 'CONTRIBUTOR' | 'VIEWER', email = `removal-${++users}@outbound.test`) {
  const { createUser } = await stack.outbound.gql(createUserDoc, { input: { email, role } });
  return { id: createUser.user.id as string, email, token: createUser.token as string };
}

const removeUser = (id: string, token?: string) =>
  stack.outbound.graphql(removeUserDoc, { id }, token ?? stack.outbound.adminToken);

async function auditOf(subjectId: string): Promise<AuditNode[]> {
  return (await stack.outbound.gql(auditDoc, { subjectId })).auditEvents.nodes;
}

async function userIds(includeRemoved = false): Promise<string[]> {
  const { users } = await stack.outbound.gql(usersDoc, { all: includeRemoved });
  return users.map((u: { id: string }) => u.id);
}

/** The harness admin's id, and every other active admin removed: the harness admin is the only one. */
async function onlyHarnessAdmin(): Promise<string> {
  const { viewer } = await stack.outbound.gql('{ viewer { id } }');
  const { users } = await stack.outbound.gql('{ users { id role } }');
  for (const u of users as Array<{ id: string; role: string }>) {
    if (u.role === 'ADMIN' && u.id !== viewer.id) await stack.outbound.gql(removeUserDoc, { id: u.id });
  }
  return viewer.id;
}

/** Another API process, whose database connections go through a proxy that can stall its LISTEN. */
async function apiBehindProxy(token: string) {
  const proxy = await startPgProxy(stack.outbound.config.databaseUrl);
  const deps = await openApiDeps({ ...stack.outbound.config, databaseUrl: proxy.url });
  onTestFinished(async () => {
    await deps.close();
    await proxy.close();
  });
  return { proxy, ...graphqlHelpers(createApi(deps), token) };
}

describe('removeUser', () => {
  test("a removed user's token is refused at once, they leave users, what they did still names them", async () => {
    const { outbound } = stack;
    const user = await addUser('CONTRIBUTOR');
    const segment = await outbound.gql(
      'mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }',
      { input: { name: `Made by ${user.id}`, rule: { attribute: 'Email', op: 'EXISTS' } } },
      user.token,
    );
    // Cached by both API processes; the other one never hears the NOTIFY: the removal reaches it anyway.
    const other = await apiBehindProxy(user.token);
    for (const process of [outbound, other, outbound, other])
      expect((await process.gql('{ viewer { id } }', {}, user.token)).viewer.id).toBe(user.id);
    expect(other.proxy.freezeListeners()).toBe(1);

    const removed = await removeUser(user.id);
    expect(removed.errors).toBeUndefined();
    expect(removed.data?.removeUser.user).toMatchObject({ id: user.id, email: user.email, tokens: [] });
    expect(removed.data?.removeUser.user.removedAt).toEqual(expect.any(String));

    for (const process of [other, outbound]) {
      expectRejected(await process.graphql('{ segments(first: 1) { totalCount } }', {}, user.token), {
        code: 'UNAUTHENTICATED',
      });
      expect(await process.graphql('{ viewer { id } }', {}, user.token)).toEqual({ data: { viewer: null } });
    }
    expect(await userIds()).not.toContain(user.id);
    expect(await userIds(true)).toContain(user.id);

    const segmentEvents = await auditOf(segment.createSegment.id);
    expect(segmentEvents).toEqual([
      expect.objectContaining({ action: 'segment.created', actorEmail: user.email }),
    ]);
    expect(await auditOf(user.id)).toEqual([
      expect.objectContaining({
        action: 'user.removed',
        actorEmail: 'admin@outbound.test',
        subjectType: 'User',
        details: { role: 'CONTRIBUTOR', revokedTokens: 1, reassignedConnectionIds: [] },
      }),
      expect.objectContaining({ action: 'user.created', actorEmail: 'admin@outbound.test' }),
    ]);
  });

  test('a removed user cannot be removed, changed or given a token again; their email can start a new user', async () => {
    const { outbound } = stack;
    const user = await addUser('VIEWER');
    expect((await removeUser(user.id)).errors).toBeUndefined();

    expectRejected(await removeUser(user.id), { code: 'NOT_FOUND' });
    expectRejected(
      await outbound.graphql('mutation($id: ID!) { updateUser(id: $id, input: { role: ADMIN }) { id } }', {
        id: user.id,
      }),
      { code: 'NOT_FOUND' },
    );
    expectRejected(
      await outbound.graphql('mutation($input: CreateTokenInput!) { createToken(input: $input) { token } }', {
        input: { userId: user.id, name: 'again' },
      }),
      { code: 'NOT_FOUND' },
    );

    const again = await addUser('CONTRIBUTOR', user.email);
    expect(again.id).not.toBe(user.id);
    expect((await outbound.gql('{ viewer { email role } }', {}, again.token)).viewer).toEqual({
      email: user.email,
      role: 'CONTRIBUTOR',
    });
    expect((await auditOf(user.id)).map((e) => e.action)).toEqual(['user.removed', 'user.created']);
  });

  test("an admin who ran exports is removed: their connection passes to the remover, the run's history stays theirs", async () => {
    const { outbound, fake } = stack;
    const leaver = await addUser('ADMIN');
    const { apiKey } = newAccount(fake);
    const profiles = makeProfiles(3, { prefix: `leaver${users}-` });
    await insertProfiles(outbound.sql, profiles);
    const as = <T = Record<string, any>>(query: string, variables: Record<string, unknown>) =>
      outbound.gql<T>(query, variables, leaver.token);
    const { createConnection } = await as(
      'mutation($input: CreateConnectionInput!) { createConnection(input: $input) { id exportUser { id } } }',
      { input: { displayName: 'Leaver account', apiHost: fake.host, apiKey, acceptDataPrivacy: true } },
    );
    expect(createConnection.exportUser.id).toBe(leaver.id);
    const { createSegment } = await as(
      'mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }',
      { input: { name: 'Leaver segment', rule: { customerIds: profiles.map((p) => p.customerId) } } },
    );
    const { createExport } = await as(
      'mutation($input: CreateExportInput!) { createExport(input: $input) { id } }',
      {
        input: {
          name: 'Leaver export',
          connectionId: createConnection.id,
          listId: '7',
          segmentIds: [createSegment.id],
          mapping: { email: 'Email' },
        },
      },
    );
    const { runExport } = await as('mutation($id: ID!) { runExport(id: $id) { id } }', {
      id: createExport.id,
    });
    expect((await waitForRun(outbound, runExport.id)).status).toBe('SUCCEEDED');

    const removed = await removeUser(leaver.id);
    expect(removed.errors).toBeUndefined();
    expect(removed.data?.removeUser.reassignedConnections).toEqual([
      { id: createConnection.id, exportUser: { email: 'admin@outbound.test' } },
    ]);

    const { connection } = await outbound.gql(
      'query($id: ID!) { connection(id: $id) { exportUser { email } privacyAcceptedBy { id email removedAt } } }',
      { id: createConnection.id },
    );
    expect(connection.exportUser).toEqual({ email: 'admin@outbound.test' });
    expect(connection.privacyAcceptedBy).toMatchObject({ id: leaver.id, email: leaver.email });
    expect(connection.privacyAcceptedBy.removedAt).toEqual(expect.any(String));
    expect(await auditOf(createConnection.id)).toContainEqual(
      expect.objectContaining({
        action: 'connection.export_user_changed',
        actorEmail: 'admin@outbound.test',
        details: { previousExportUserId: leaver.id, exportUserId: expect.any(String) },
      }),
    );
    expect(await auditOf(runExport.id)).toEqual([
      expect.objectContaining({ action: 'run.started', actorEmail: leaver.email }),
    ]);
    const [run] = await outbound.sql`select requested_by from export_runs where id = ${runExport.id}`;
    expect(run?.requested_by).toBe(leaver.id);
    // The export still runs, on the remover's behalf.
    const rerun = await outbound.gql('mutation($id: ID!) { runExport(id: $id) { id } }', {
      id: createExport.id,
    });
    expect((await waitForRun(outbound, rerun.runExport.id)).status).toBe('SUCCEEDED');
  });

  test('removing yourself is refused while another admin exists, saying who can', async () => {
    const other = await addUser('ADMIN');
    const { viewer } = await stack.outbound.gql('{ viewer { id } }');
    expectRejected(await removeUser(viewer.id), { code: 'CONFLICT', field: 'id', message: /yourself/ });
    expect(await userIds()).toContain(viewer.id);
    expect((await removeUser(other.id)).errors).toBeUndefined();
  });

  test('the last admin is not removed', async () => {
    const harnessAdmin = await onlyHarnessAdmin();
    expectRejected(await removeUser(harnessAdmin), { code: 'CONFLICT', field: 'id', message: /last admin/ });
    expect(await userIds()).toContain(harnessAdmin);
    expect((await stack.outbound.gql('{ viewer { role } }')).viewer.role).toBe('ADMIN');
  });

  test('two admins removing each other at once: one stays, and an admin remains', async () => {
    await onlyHarnessAdmin();
    const [a, b] = [await addUser('ADMIN'), await addUser('ADMIN')];
    const [byA, byB] = await Promise.all([removeUser(b.id, a.token), removeUser(a.id, b.token)]);
    const succeeded = [byA, byB].filter((r) => !r.errors);
    expect(succeeded).toHaveLength(1);
    const refused = [byA, byB].find((r) => r.errors);
    expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(refused?.errors?.[0]?.extensions?.code);
    const active = await userIds();
    expect([a.id, b.id].filter((id) => active.includes(id))).toHaveLength(1);
  });

  test('two admins demoting each other at once: one of them stays an admin', async () => {
    const { outbound } = stack;
    const [a, b] = [await addUser('ADMIN'), await addUser('ADMIN')];
    const demote = (id: string, token: string) =>
      outbound.graphql(
        'mutation($id: ID!) { updateUser(id: $id, input: { role: VIEWER }) { id role } }',
        { id },
        token,
      );
    // Both requests pass their sign-in, then wait on the two users' rows until both are waiting.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = outbound.sql.begin(async (tx) => {
      await tx`select id from users where id in (${a.id}, ${b.id}) for update`;
      locked();
      await held;
    });
    await lockTaken;
    const answers = Promise.all([demote(b.id, a.token), demote(a.id, b.token)]);
    for (;;) {
      const [row] = await outbound.sql<{ waiting: number }[]>`
        select count(*)::int as waiting from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
      if ((row?.waiting ?? 0) >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    release();
    await holder;
    const [byA, byB] = await answers;
    expect([byA, byB].filter((r) => !r.errors)).toHaveLength(1);
    expect([byA, byB].find((r) => r.errors)?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const roles = await outbound.sql<
      { role: string }[]
    >`select role from users where id in (${a.id}, ${b.id})`;
    expect(roles.map((r) => r.role).sort()).toEqual(['ADMIN', 'VIEWER']);
  });

  test.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['an id that is no UUID', 'nobody'],
  ])('%s is NOT_FOUND', async (_name, id) => {
    expectRejected(await removeUser(id), { code: 'NOT_FOUND' });
  });

  test.each([['CONTRIBUTOR'], ['VIEWER']] as const)('a %s may not remove a user', async (role) => {
    const caller = await addUser(role);
    const target = await addUser('VIEWER');
    expectRejected(await removeUser(target.id, caller.token), { code: 'FORBIDDEN' });
    expect(await userIds()).toContain(target.id);
  });
});
