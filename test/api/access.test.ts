import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sha256Hex } from '../../core/secrets.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { auditDoc, expectNothingWritten, expectRejected, tokenFor } from './helpers.ts';

const createUserDoc = `mutation($input: CreateUserInput!) { createUser(input: $input) { user { id email role createdAt } token } }`;
const viewerDoc = '{ viewer { id email role createdAt } }';
const someId = 'c0ffee00-0000-4000-8000-000000000000';

let outbound: Outbound;
let contributor: string;
let viewer: string;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  contributor = await tokenFor(outbound, 'CONTRIBUTOR');
  viewer = await tokenFor(outbound, 'VIEWER');
});

afterAll(async () => {
  await outbound?.close();
});

describe('viewer', () => {
  test('is the signed-in user, or null without a valid token', async () => {
    expect((await outbound.gql(viewerDoc)).viewer).toMatchObject({
      email: 'admin@outbound.test',
      role: 'ADMIN',
    });
    expect((await outbound.gql(viewerDoc, {}, viewer)).viewer).toMatchObject({ role: 'VIEWER' });
    expect(await outbound.graphql(viewerDoc, {}, null)).toEqual({ data: { viewer: null } });
    expect(await outbound.graphql(viewerDoc, {}, 'obt_not-a-token')).toEqual({ data: { viewer: null } });
  });

  test.each([
    'connections { nodes { id } }',
    'exports { nodes { id } }',
    'segments { nodes { id } }',
    'profileAttributes',
  ])('%s needs a token', async (selection) => {
    expectRejected(await outbound.graphql(`{ ${selection} }`, {}, null), { code: 'UNAUTHENTICATED' });
  });
});

describe('createUser', () => {
  test('returns the token once and stores only its hash', async () => {
    const { createUser } = await outbound.gql(createUserDoc, {
      input: { email: 'New.Person@Example.com', role: 'CONTRIBUTOR' },
    });
    expect(createUser.user).toMatchObject({ email: 'new.person@example.com', role: 'CONTRIBUTOR' });
    expect(createUser.token).toMatch(/^obt_[A-Za-z0-9_-]{40,}$/);
    const stored = await outbound.sql<{ token_hash: string }[]>`
      select t.token_hash from api_tokens t where t.user_id = ${createUser.user.id}`;
    expect(stored).toEqual([{ token_hash: await sha256Hex(createUser.token) }]);
    const everything = JSON.stringify(await outbound.sql`select * from api_tokens`);
    expect(everything).not.toContain(createUser.token);
    expect(everything).not.toContain(createUser.token.slice(4, 20));
    expect((await outbound.gql(viewerDoc, {}, createUser.token)).viewer.email).toBe('new.person@example.com');
    const auditEvents = (await outbound.gql(auditDoc, { subjectId: createUser.user.id })).auditEvents.nodes;
    expect(auditEvents).toEqual([
      expect.objectContaining({
        action: 'user.created',
        details: { role: 'CONTRIBUTOR', canWriteProfiles: false },
      }),
    ]);
    expect(JSON.stringify(auditEvents)).not.toContain(createUser.token);
  });

  test.each([
    ['a contributor', () => contributor, { email: 'x@example.com', role: 'ADMIN' }, { code: 'FORBIDDEN' }],
    ['a viewer', () => viewer, { email: 'x@example.com', role: 'VIEWER' }, { code: 'FORBIDDEN' }],
    ['no token', () => null, { email: 'x@example.com', role: 'VIEWER' }, { code: 'UNAUTHENTICATED' }],
    [
      'an invalid email',
      () => outbound.adminToken,
      { email: 'not-an-email', role: 'VIEWER' },
      { code: 'BAD_USER_INPUT', field: 'email' },
    ],
    [
      'a taken email',
      () => outbound.adminToken,
      { email: 'ADMIN@outbound.test', role: 'VIEWER' },
      { code: 'CONFLICT', field: 'email' },
    ],
  ])('refuses %s and writes nothing', async (_name, token, input, expected) => {
    const result = await expectNothingWritten(outbound, () =>
      outbound.graphql(createUserDoc, { input }, token()),
    );
    expectRejected(result, expected);
  });
});

describe('roles', () => {
  const mutations: Array<[string, Record<string, unknown>]> = [
    [
      'mutation($i: CreateConnectionInput!) { createConnection(input: $i) { id } }',
      { i: { displayName: 'x', apiHost: 'acme.api-us1.com', apiKey: 'k-12345678', acceptDataPrivacy: true } },
    ],
    ['mutation($id: ID!) { updateConnection(id: $id, input: { displayName: "x" }) { id } }', { id: someId }],
    ['mutation($id: ID!) { deleteConnection(id: $id) }', { id: someId }],
    [
      'mutation($i: CreateExportInput!) { createExport(input: $i) { id } }',
      {
        i: {
          name: 'x',
          connectionId: someId,
          listId: '1',
          segmentIds: [someId],
          mapping: { email: 'Email' },
        },
      },
    ],
    ['mutation($id: ID!) { updateExport(id: $id, input: { name: "x" }) { id } }', { id: someId }],
    ['mutation($id: ID!) { deleteExport(id: $id) }', { id: someId }],
    ['mutation($id: ID!) { runExport(id: $id) { id } }', { id: someId }],
    ['mutation($id: ID!) { cancelExportRun(id: $id) { id } }', { id: someId }],
    ['mutation { upsertProfiles(profiles: [{ customerId: "c1", attributes: { Email: "a@b.co" } }]) }', {}],
    ['mutation { createSegment(input: { name: "s", rule: { customerIds: ["c1"] } }) { id } }', {}],
    ['mutation($id: ID!) { refreshSegment(id: $id) { id } }', { id: someId }],
    ['mutation { updateRefreshSchedule(cron: "0 3 * * *", timezone: "UTC") { cron } }', {}],
    ['mutation { triggerRefresh }', {}],
  ];

  test.each(mutations)('a viewer reads but cannot run %s', async (document, variables) => {
    const result = await expectNothingWritten(outbound, () => outbound.graphql(document, variables, viewer));
    expectRejected(result, { code: 'FORBIDDEN', message: /VIEWER/ });
  });

  test('a viewer can read everything a screen needs', async () => {
    const data = await outbound.gql(
      `{ viewer { role } connections { nodes { id } } exports { nodes { id } } segments { nodes { id } }
        profileAttributes }`,
      {},
      viewer,
    );
    expect(data).toEqual({
      viewer: { role: 'VIEWER' },
      connections: { nodes: [] },
      exports: { nodes: [] },
      segments: { nodes: [] },
      profileAttributes: [],
    });
  });

  test('audit events are for admins only, newest first, with actor and time', async () => {
    for (const token of [contributor, viewer])
      expectRejected(await outbound.graphql(auditDoc, {}, token), { code: 'FORBIDDEN' });
    await outbound.gql(createUserDoc, { input: { email: 'audited@example.com', role: 'VIEWER' } });
    const auditEvents = (await outbound.gql(auditDoc)).auditEvents.nodes;
    expect(auditEvents.length).toBeGreaterThan(0);
    expect(auditEvents[0]).toMatchObject({
      action: 'user.created',
      actorEmail: 'admin@outbound.test',
      subjectType: 'User',
    });
    const times = auditEvents.map((e: { createdAt: string }) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
