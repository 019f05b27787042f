import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import {
  auditDoc,
  createConnectionDoc,
  createExportDoc,
  createSegmentDoc,
  expectNothingWritten,
  expectRejected,
  updateConnectionDoc,
  updateExportDoc,
  upsertProfilesDoc,
} from './helpers.ts';

const apiKey = 'text-input-key-0001';
const createUserDoc = `mutation($input: CreateUserInput!) { createUser(input: $input) { token } }`;
/** What Postgres cannot hold: a NUL, and a UTF-16 surrogate without its pair (JSON "\ud800"). */
const unstorable = [
  ['a NUL', 'Main\u0000account'],
  ['a lone surrogate', 'Main\ud800account'],
] as const;

let fake: FakeActiveCampaign;
let outbound: Outbound;
let ids: { connectionId: string; segmentId: string; exportId: string };

const sentToActiveCampaign = () => fake.account(apiKey).requests();

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 0, worker: false });
  await outbound.gql(upsertProfilesDoc, {
    p: [
      { customerId: 'c1', attributes: { Email: 'a@example.com', FirstName: 'A', LastName: 'B', Phone: '1' } },
    ],
  });
  ids = await setUpExport(outbound, fake, { apiKey, customerIds: ['c1'] });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

/** Refused with BAD_USER_INPUT naming `field`, nothing written and nothing sent to ActiveCampaign. */
async function expectRefusedBeforeSending(
  document: string,
  variables: Record<string, unknown>,
  field: string,
) {
  fake.account(apiKey).clearRequests();
  const result = await expectNothingWritten(outbound, () => outbound.graphql(document, variables));
  expectRejected(result, { code: 'BAD_USER_INPUT', field, message: /NUL characters or unpaired/ });
  expect(sentToActiveCampaign()).toEqual([]);
}

describe.each(unstorable)(
  'free text with %s is refused, naming the field, before anything is sent',
  (_what, text) => {
    test('connection display name (create and update)', async () => {
      await expectRefusedBeforeSending(
        createConnectionDoc,
        { input: { displayName: text, apiHost: fake.host, apiKey, acceptDataPrivacy: true } },
        'displayName',
      );
      await expectRefusedBeforeSending(
        updateConnectionDoc,
        { id: ids.connectionId, input: { displayName: text, apiKey } },
        'displayName',
      );
    });

    test('export name and mapping (create and update)', async () => {
      const input = {
        name: text,
        connectionId: ids.connectionId,
        listId: '7',
        segmentIds: [ids.segmentId],
        mapping: { email: 'Email' },
      };
      await expectRefusedBeforeSending(createExportDoc, { input }, 'name');
      await expectRefusedBeforeSending(
        createExportDoc,
        {
          input: {
            ...input,
            name: 'Fine',
            mapping: { email: 'Email', fields: [{ attribute: text, fieldId: '1' }] },
          },
        },
        'mapping.fields[0].attribute',
      );
      await expectRefusedBeforeSending(
        updateExportDoc,
        { id: ids.exportId, input: { name: text, listId: '8' } },
        'name',
      );
    });

    test('segment name', async () => {
      await expectRefusedBeforeSending(
        createSegmentDoc,
        { input: { name: text, rule: { customerIds: ['c1'] } } },
        'name',
      );
    });

    test('user email', async () => {
      await expectRefusedBeforeSending(
        createUserDoc,
        { input: { email: text.replace('Main', 'main@').concat('.example.com'), role: 'VIEWER' } },
        'email',
      );
    });

    test('audit subject', async () => {
      await expectRefusedBeforeSending(auditDoc, { subjectId: text }, 'subjectId');
    });
  },
);

/** Names forge lines or hide text in alerts, logs and the console when they carry these (issue 30, row 9). */
const unreadable = [
  ['CR/LF', 'Weekly\r\nRun: SUCCEEDED'],
  ['a line feed', 'Weekly\nexport'],
  ['a tab', 'Weekly\texport'],
  ['an escape', 'Weekly\u001b[31mexport'],
  ['a C1 control', 'Weekly\u0085export'],
  ['a line separator', 'Weekly\u2028export'],
  ['a right-to-left override', 'Weekly\u202eexport'],
] as const;

describe.each(unreadable)('a name with %s is refused, naming the field', (_what, text) => {
  async function expectRefused(document: string, variables: Record<string, unknown>, field: string) {
    fake.account(apiKey).clearRequests();
    const result = await expectNothingWritten(outbound, () => outbound.graphql(document, variables));
    expectRejected(result, { code: 'BAD_USER_INPUT', field, message: /one line without control characters/ });
    expect(sentToActiveCampaign()).toEqual([]);
  }

  test('connection, export and segment names', async () => {
    await expectRefused(
      createConnectionDoc,
      { input: { displayName: text, apiHost: fake.host, apiKey, acceptDataPrivacy: true } },
      'displayName',
    );
    await expectRefused(
      updateConnectionDoc,
      { id: ids.connectionId, input: { displayName: text } },
      'displayName',
    );
    const input = {
      name: text,
      connectionId: ids.connectionId,
      listId: '7',
      segmentIds: [ids.segmentId],
      mapping: { email: 'Email' },
    };
    await expectRefused(createExportDoc, { input }, 'name');
    await expectRefused(updateExportDoc, { id: ids.exportId, input: { name: text } }, 'name');
    await expectRefused(createSegmentDoc, { input: { name: text, rule: { customerIds: ['c1'] } } }, 'name');
  });

  test('notification channel and API token names', async () => {
    await expectRefused(
      `mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { signingSecret } }`,
      { input: { name: text, kind: 'EMAIL', emailTo: 'oncall@outbound.test' } },
      'name',
    );
    const [admin] = await outbound.sql<
      [{ id: string }]
    >`select id from users where email = 'admin@outbound.test'`;
    await expectRefused(
      `mutation($input: CreateTokenInput!) { createToken(input: $input) { token } }`,
      { input: { userId: admin.id, name: text } },
      'name',
    );
  });
});

test('a NUL written as a GraphQL string literal is refused the same way', async () => {
  const result = await expectNothingWritten(outbound, () =>
    outbound.graphql(
      'mutation { createSegment(input: { name: "a\\u0000b", rule: { customerIds: ["c1"] } }) { id } }',
    ),
  );
  expectRejected(result, { code: 'BAD_USER_INPUT', field: 'name' });
});

test('a lone surrogate cannot be written as a GraphQL string literal at all', async () => {
  const result = await expectNothingWritten(outbound, () =>
    outbound.graphql(
      'mutation { createSegment(input: { name: "a\\ud800b", rule: { customerIds: ["c1"] } }) { id } }',
    ),
  );
  expect(result.errors?.[0]?.message).toMatch(/Invalid Unicode escape sequence/);
});

describe('an API key that cannot travel in an HTTP header is a bad key, not an unreachable host', () => {
  test.each([
    ['a control character', 'abcd\u0001efgh-key-0001'],
    ['a non-ASCII letter', 'kulcsé-12345678-0001'],
    ['a NUL', 'abcd\u0000efgh-key-0001'],
  ])('%s', async (_what, key) => {
    fake.account(apiKey).clearRequests();
    const result = await expectNothingWritten(outbound, () =>
      outbound.graphql(createConnectionDoc, {
        input: { displayName: 'Main', apiHost: fake.host, apiKey: key, acceptDataPrivacy: true },
      }),
    );
    expectRejected(result, {
      code: 'BAD_USER_INPUT',
      field: 'apiKey',
      message: /not an ActiveCampaign API key/,
    });
    expect(JSON.stringify(result)).not.toContain(key);
    expect(sentToActiveCampaign()).toEqual([]);
  });
});

test('nothing above left an audit event or a stored name with U+FFFD', async () => {
  const names = await outbound.sql`
    select display_name as name from connections union all select name from exports union all select name from segments`;
  expect(JSON.stringify(names)).not.toContain('\ufffd');
  const auditEvents = (await outbound.gql(auditDoc)).auditEvents.nodes;
  expect(auditEvents.map((e: { action: string }) => e.action).sort()).toEqual([
    'connection.created',
    'connection.privacy_accepted',
    'export.created',
    'profiles.upserted',
    'segment.created',
  ]);
});
