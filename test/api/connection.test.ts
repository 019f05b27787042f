import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import {
  auditDoc,
  createConnectionDoc,
  createExportDoc,
  createSegmentDoc,
  expectNothingWritten,
  expectRejected,
  tokenFor,
  updateConnectionDoc,
  upsertProfilesDoc,
} from './helpers.ts';

const apiKey = 'conn-test-key-0001';
const secondKey = 'conn-test-key-0002';
let fake: FakeActiveCampaign;
let outbound: Outbound;
let unreachableHost: string;
let contributor: string;
let viewer: string;

const input = (overrides: Record<string, unknown> = {}) => ({
  displayName: 'Main account',
  apiHost: fake.host,
  apiKey,
  acceptDataPrivacy: true,
  ...overrides,
});

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ accounts: [{ apiKeys: [apiKey, secondKey], lists: [7] }] });
  unreachableHost = `127.0.0.1:${await freePort()}`;
  outbound = await startOutbound({
    insecureHosts: [fake.host, unreachableHost],
    rateScale: 0,
    worker: false,
  });
  contributor = await tokenFor(outbound, 'CONTRIBUTOR');
  viewer = await tokenFor(outbound, 'VIEWER');
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

describe('createConnection', () => {
  test('checks the key, stores it encrypted, returns only its tail and makes the admin the export user', async () => {
    const { createConnection } = await outbound.gql(createConnectionDoc, { input: input() });
    expect(createConnection).toMatchObject({
      displayName: 'Main account',
      type: 'ACTIVECAMPAIGN',
      apiHost: fake.host,
      apiKeyMasked: '••••0001',
      contributorsCanUse: false,
      canUse: true,
      privacyAcceptedBy: { email: 'admin@outbound.test' },
      exportUser: { email: 'admin@outbound.test' },
    });
    expect(Date.parse(createConnection.privacyAcceptedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(
      fake
        .account(apiKey)
        .requests()
        .map((r) => `${r.method} ${r.path}`),
    ).toContain('GET /api/3/users/me');
    const [stored] =
      await outbound.sql`select api_key_ciphertext, api_key_tail from connections where id = ${createConnection.id}`;
    expect(stored?.api_key_ciphertext).toMatch(/^v1\./);
    expect(stored?.api_key_ciphertext).not.toContain(apiKey);
    expect(stored?.api_key_tail).toBe('0001');

    const auditEvents = (await outbound.gql(auditDoc, { subjectId: createConnection.id })).auditEvents.nodes;
    expect(auditEvents.map((e: { action: string }) => e.action).sort()).toEqual([
      'connection.created',
      'connection.privacy_accepted',
    ]);
    expect(auditEvents[0]).toMatchObject({ actorEmail: 'admin@outbound.test', subjectType: 'Connection' });
  });

  const rejections: Array<[string, () => Record<string, unknown>, string | null, Record<string, unknown>]> = [
    ['no token', () => input(), null, { code: 'UNAUTHENTICATED' }],
    ['a contributor', () => input(), 'contributor', { code: 'FORBIDDEN' }],
    ['a viewer', () => input(), 'viewer', { code: 'FORBIDDEN' }],
    [
      'consent missing',
      () => input({ acceptDataPrivacy: false }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'acceptDataPrivacy', message: /personal|privacy/i },
    ],
    [
      'a URL as host',
      () => input({ apiHost: 'https://x.api-us1.com/api/3' }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'apiHost', message: /use "x\.api-us1\.com"/ },
    ],
    [
      'a key ActiveCampaign rejects (403)',
      () => input({ apiKey: 'wrong-key-123456' }),
      'admin',
      { code: 'UPSTREAM_ERROR', field: 'apiKey', message: /rejected the API key/ },
    ],
    [
      'an unreachable host',
      () => input({ apiHost: unreachableHost }),
      'admin',
      { code: 'UPSTREAM_ERROR', field: 'apiHost', message: /Could not reach/ },
    ],
    [
      'a loopback host not listed as insecure',
      () => input({ apiHost: '127.0.0.1:9' }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'apiHost', message: /private or loopback/ },
    ],
    [
      'a name resolving to loopback',
      () => input({ apiHost: 'localhost' }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'apiHost', message: /private or loopback/ },
    ],
    [
      'an empty display name',
      () => input({ displayName: '  ' }),
      'admin',
      { code: 'BAD_USER_INPUT', field: 'displayName' },
    ],
  ];

  test.each(rejections)('refuses %s and writes nothing', async (_name, makeInput, who, expected) => {
    const token =
      who === null
        ? null
        : who === 'admin'
          ? outbound.adminToken
          : who === 'contributor'
            ? contributor
            : viewer;
    const result = await expectNothingWritten(outbound, () =>
      outbound.graphql(createConnectionDoc, { input: makeInput() }, token),
    );
    expectRejected(result, expected as { code: string });
  });
});

describe('updateConnection', () => {
  /** A fresh connection for one test to change. */
  const toUpdate = async () =>
    (await outbound.gql(createConnectionDoc, { input: input({ displayName: 'To update' }) })).createConnection
      .id as string;

  test('renames and opens to contributors without calling ActiveCampaign', async () => {
    const id = await toUpdate();
    fake.account(apiKey).clearRequests();
    const { updateConnection } = await outbound.gql(updateConnectionDoc, {
      id,
      input: { displayName: 'Renamed', contributorsCanUse: true },
    });
    expect(updateConnection).toMatchObject({
      displayName: 'Renamed',
      contributorsCanUse: true,
      apiKeyMasked: '••••0001',
    });
    expect(fake.account(apiKey).requests()).toEqual([]);
  });

  test('checks a new key before saving it', async () => {
    // An account of its own: the requests it counts are this test's, none an earlier test left.
    const keys = ['conn-check-key-0001', 'conn-check-key-0002'];
    const account = fake.addAccount({ apiKeys: keys, lists: [7] });
    const { createConnection } = await outbound.gql(createConnectionDoc, {
      input: input({ displayName: 'To update', apiKey: keys[0] }),
    });
    account.clearRequests();
    const { updateConnection } = await outbound.gql(updateConnectionDoc, {
      id: createConnection.id,
      input: { apiKey: keys[1] },
    });
    expect(updateConnection.apiKeyMasked).toBe('••••0002');
    expect(account.requests().map((r) => r.path)).toEqual(['/api/3/users/me']);
  });

  test('refuses a rejected key, an unreachable new host, a new host without the key, a bad host and a contributor, changing nothing', async () => {
    const id = await toUpdate();
    const cases: Array<[Record<string, unknown>, string | null, Record<string, unknown>]> = [
      [{ apiKey: 'revoked-key-000000' }, outbound.adminToken, { code: 'UPSTREAM_ERROR', field: 'apiKey' }],
      [
        { apiHost: unreachableHost, apiKey: secondKey },
        outbound.adminToken,
        { code: 'UPSTREAM_ERROR', field: 'apiHost' },
      ],
      // The stored key is never sent to a new host: it must be entered again.
      [{ apiHost: 'acme.api-us1.com' }, outbound.adminToken, { code: 'BAD_USER_INPUT', field: 'apiKey' }],
      [
        { apiHost: 'http://acme.api-us1.com' },
        outbound.adminToken,
        { code: 'BAD_USER_INPUT', field: 'apiHost' },
      ],
      [{ displayName: 'Mine now' }, contributor, { code: 'FORBIDDEN' }],
      [{ displayName: 'Mine now' }, viewer, { code: 'FORBIDDEN' }],
    ];
    for (const [changes, token, expected] of cases) {
      const result = await expectNothingWritten(outbound, () =>
        outbound.graphql(updateConnectionDoc, { id, input: changes }, token),
      );
      expectRejected(result, expected as { code: string });
    }
  });

  test('records who changed which fields, never the key', async () => {
    const id = await toUpdate();
    await outbound.gql(updateConnectionDoc, {
      id,
      input: { displayName: 'Renamed', contributorsCanUse: true },
    });
    await outbound.gql(updateConnectionDoc, { id, input: { apiKey: secondKey } });
    const auditEvents = (await outbound.gql(auditDoc, { subjectId: id })).auditEvents.nodes;
    const updates = auditEvents.filter((e: { action: string }) => e.action === 'connection.updated');
    const details = updates.map((e: { details: { fields: string[]; keyChecked: boolean } }) => ({
      ...e.details,
      fields: e.details.fields.sort(),
    }));
    expect(details).toEqual([
      { fields: ['apiKey'], keyChecked: true },
      { fields: ['contributorsCanUse', 'displayName'], keyChecked: false },
    ]);
    expect(updates[0]).toMatchObject({ actorEmail: 'admin@outbound.test', subjectType: 'Connection' });
  });
});

describe('deleteConnection and visibility', () => {
  test('a contributor sees only name, type and canUse of an admin-only connection', async () => {
    const open = (
      await outbound.gql(createConnectionDoc, {
        input: input({ displayName: 'Open', contributorsCanUse: true }),
      })
    ).createConnection;
    const closed = (await outbound.gql(createConnectionDoc, { input: input({ displayName: 'Closed' }) }))
      .createConnection;
    const query = `query($id: ID!) { connection(id: $id) { id displayName type canUse apiHost apiKeyMasked contributorsCanUse
      privacyAcceptedAt privacyAcceptedBy { email } exportUser { email } createdAt updatedAt } }`;
    const seen = await outbound.gql(query, { id: closed.id }, contributor);
    expect(seen.connection).toEqual({
      id: closed.id,
      displayName: 'Closed',
      type: 'ACTIVECAMPAIGN',
      canUse: false,
      apiHost: null,
      apiKeyMasked: null,
      contributorsCanUse: null,
      privacyAcceptedAt: null,
      privacyAcceptedBy: null,
      exportUser: null,
      createdAt: null,
      updatedAt: null,
    });
    expect((await outbound.gql(query, { id: open.id }, contributor)).connection).toMatchObject({
      canUse: true,
      apiHost: fake.host,
      apiKeyMasked: '••••0001',
    });
    expect((await outbound.gql(query, { id: open.id }, viewer)).connection).toMatchObject({ canUse: false });
    const list = await outbound.gql('{ connections { nodes { displayName canUse } } }', {}, contributor);
    expect(list.connections.nodes).toEqual(
      expect.arrayContaining([{ displayName: 'Closed', canUse: false }]),
    );
  });

  test('deleting disables its exports, hides it and forgets the key', async () => {
    const { createConnection } = await outbound.gql(createConnectionDoc, {
      input: input({ displayName: 'Doomed' }),
    });
    await outbound.gql(upsertProfilesDoc, {
      p: [{ customerId: 'd1', attributes: { Email: 'd1@example.com' } }],
    });
    const segment = (
      await outbound.gql(createSegmentDoc, { input: { name: 'D', rule: { customerIds: ['d1'] } } })
    ).createSegment;
    const exportInput = {
      name: 'Doomed export',
      connectionId: createConnection.id,
      listId: '7',
      segmentIds: [segment.id],
      mapping: { email: 'Email' },
    };
    const { createExport } = await outbound.gql(createExportDoc, { input: exportInput });

    for (const token of [contributor, viewer]) {
      const refused = await outbound.graphql(
        'mutation($id: ID!) { deleteConnection(id: $id) }',
        { id: createConnection.id },
        token,
      );
      expectRejected(refused, { code: 'FORBIDDEN' });
    }
    const deleted = await outbound.gql('mutation($id: ID!) { deleteConnection(id: $id) }', {
      id: createConnection.id,
    });
    expect(deleted.deleteConnection).toBe(createConnection.id);

    const after = await outbound.graphql(`query($id: ID!) { connection(id: $id) { id } }`, {
      id: createConnection.id,
    });
    expectRejected(after, { code: 'NOT_FOUND' });
    const { connections } = await outbound.gql('{ connections { nodes { id } } }');
    expect(connections.nodes.map((c: { id: string }) => c.id)).not.toContain(createConnection.id);
    const { export: exp } = await outbound.gql('query($id: ID!) { export(id: $id) { enabled } }', {
      id: createExport.id,
    });
    expect(exp.enabled).toBe(false);
    const [row] =
      await outbound.sql`select api_key_ciphertext, deleted_at from connections where id = ${createConnection.id}`;
    expect(row?.api_key_ciphertext).toBeNull();
    expect(row?.deleted_at).not.toBeNull();

    const again = await outbound.graphql('mutation($id: ID!) { deleteConnection(id: $id) }', {
      id: createConnection.id,
    });
    expectRejected(again, { code: 'NOT_FOUND' });
    const reuse = await outbound.graphql(createExportDoc, { input: { ...exportInput, name: 'Again' } });
    expectRejected(reuse, { code: 'BAD_USER_INPUT', field: 'connectionId' });
    const auditEvents = (await outbound.gql(auditDoc, { subjectId: createConnection.id })).auditEvents.nodes;
    expect(auditEvents[0]).toMatchObject({
      action: 'connection.deleted',
      actorEmail: 'admin@outbound.test',
      details: { disabledExports: [createExport.id] },
    });
  });
});

describe('concurrent changes', () => {
  let accounts = 0;
  const connectionRow = (id: string) =>
    outbound.sql`select contributors_can_use, deleted_at, api_key_ciphertext from connections where id = ${id}`;

  /**
   * A connection whose new key is being checked: the check reached the account and is held there until
   * `release()`, so another admin's change lands while the rotation is in flight.
   */
  async function heldKeyCheck() {
    const keys = [`race-key-${++accounts}-old`, `race-key-${accounts}-new`];
    const account = fake.addAccount({ apiKeys: keys, lists: [7] });
    const { createConnection } = await outbound.gql(createConnectionDoc, {
      input: input({ apiKey: keys[0], contributorsCanUse: true }),
    });
    account.clearRequests();
    account.holdRequests();
    const rotating = outbound.graphql(updateConnectionDoc, {
      id: createConnection.id,
      input: { apiKey: keys[1] },
    });
    await account.heldRequests();
    expect(account.requests().map((r) => r.path)).toEqual(['/api/3/users/me']);
    return { id: createConnection.id as string, rotating, release: () => account.releaseRequests() };
  }

  test('a key rotation does not undo another admin closing the connection to contributors', async () => {
    const { id, rotating, release } = await heldKeyCheck();
    try {
      await outbound.gql(updateConnectionDoc, { id, input: { contributorsCanUse: false } });
    } finally {
      release();
    }
    expect((await rotating).errors).toBeUndefined();
    const [row] = await connectionRow(id);
    expect(row?.contributors_can_use).toBe(false);
  });

  test('a connection deleted while its new key is checked stays deleted, its key forgotten', async () => {
    const { id, rotating, release } = await heldKeyCheck();
    try {
      await outbound.gql(`mutation($id: ID!) { deleteConnection(id: $id) }`, { id });
    } finally {
      release();
    }
    expectRejected(await rotating, { code: 'NOT_FOUND' });
    const [row] = await connectionRow(id);
    expect(row?.deleted_at).not.toBeNull();
    expect(row?.api_key_ciphertext).toBeNull();
  });
});
