import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { startReceiver } from '../alerts/receivers.ts';
import { type ApiProcess, apiEnv, startApiProcess } from '../support/api-process.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';
import { startWorkerProcess, type WorkerProcess, workerEnv } from '../support/worker-process.ts';

// The real API and worker processes at OUTBOUND_LOG_LEVEL=debug, through a connection, a source sync, an
// export run, a failing run and its alert: what they write to stdout and stderr (pino writes through
// SonicBoom, which no console or process.stdout capture sees) holds no secret and no personal datum.
const apiKey = 'log-leak-api-key-6b1e9d';
const rejectedKey = 'log-leak-rejected-key-31c7';
const sourcePassword = 'log-leak-db-pass-8f2a';
const people = [
  {
    id: 'l1',
    email: 'zenobia.quill@example.com',
    first: 'Zenobia',
    last: 'Quillfeather',
    phone: '+36305550199',
  },
  {
    id: 'l2',
    email: 'bartholomew.vex@example.com',
    first: 'Bartholomew',
    last: 'Vexington',
    phone: '+36305550277',
  },
];
const sourcePeople = [
  {
    id: 's1',
    email: 'ottoline.marsh@example.com',
    first: 'Ottoline',
    last: 'Marshwood',
    phone: '+36305550311',
  },
];

let fake: FakeActiveCampaign;
let outbound: Outbound;
let team: TeamDatabase;
let api: ApiProcess;
let worker: WorkerProcess;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  team = await createTeamDatabase();
  const teamUrl = new URL(team.url);
  receiver = await startReceiver();
  fake = await startFakeActiveCampaign({ scale: 20, accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  outbound = await startOutbound({
    insecureHosts: [fake.host, `${teamUrl.hostname}:${teamUrl.port || '5432'}`, receiver.host],
    rateScale: 20,
    worker: false,
  });
  // Columns named as the export's mapping names the attributes (a source's attributes are its columns).
  await team.sql`create table customers (customer_id text primary key, "Email" text, "FirstName" text,
    "LastName" text, "Phone" text)`;
  for (const p of sourcePeople) {
    await team.sql`insert into customers values (${p.id}, ${p.email}, ${p.first}, ${p.last}, ${p.phone})`;
  }
  const debug = { OUTBOUND_LOG_LEVEL: 'debug' };
  worker = await startWorkerProcess({ ...workerEnv(outbound.config), ...debug });
  api = await startApiProcess({ ...apiEnv(outbound.config, await freePort()), ...debug });
}, 240_000);

afterAll(async () => {
  await api?.kill();
  await worker?.kill();
  await receiver?.stop();
  await outbound?.close();
  await fake?.close();
  await team?.drop();
});

async function gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${outbound.adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data: T;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const runStatus = (runId: string) =>
  until(`run ${runId} to end`, async () => {
    const { data } = await gql(`query($id: ID!) { exportRun(id: $id) { status } }`, { id: runId });
    const status = data.exportRun.status as string;
    return ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'].includes(status) ? status : undefined;
  });

test('at debug, the API and worker logs of a whole run hold no key, token, password, secret, e-mail, name or phone', async () => {
  const connection = `mutation($input: CreateConnectionInput!) { createConnection(input: $input) { id } }`;
  const refused = await gql(connection, {
    input: { displayName: 'Leak', apiHost: fake.host, apiKey: rejectedKey, acceptDataPrivacy: true },
  });
  expect(refused.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
  const { data: created } = await gql(connection, {
    input: { displayName: 'Leak', apiHost: fake.host, apiKey, acceptDataPrivacy: true },
  });
  const connectionId = created.createConnection.id as string;

  const sourceUrl = team.url.replace('postgres@', `postgres:${sourcePassword}@`);
  const { data: source } = await gql(
    `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
    { input: { name: 'CRM', databaseUrl: sourceUrl, table: 'customers' } },
  );
  const sourceId = source.createSource.id as string;
  const { data: sync } = await gql(`mutation($id: ID!) { syncSource(id: $id) { id } }`, { id: sourceId });
  await until('the source sync', async () => {
    const [row] = await outbound.sql<{ status: string }[]>`
      select status from source_syncs where id = ${sync.syncSource.id as string}`;
    return row && row.status !== 'RUNNING' ? row.status : undefined;
  }).then((status) => expect(status).toBe('SUCCEEDED'));

  const upserted = await gql(`mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`, {
    p: people.map((p) => ({
      customerId: p.id,
      attributes: { Email: p.email, FirstName: p.first, LastName: p.last, Phone: p.phone },
    })),
  });
  expect(upserted.errors).toBeUndefined();
  const { data: segment } = await gql(
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
    { input: { name: 'Everyone', rule: { customerIds: [...people, ...sourcePeople].map((p) => p.id) } } },
  );

  const { data: channel } = await gql(
    `mutation($input: CreateNotificationChannelInput!) {
      createNotificationChannel(input: $input) { channel { id } signingSecret } }`,
    { input: { kind: 'WEBHOOK', name: 'Hook', url: receiver.url } },
  );
  const signingSecret = channel.createNotificationChannel.signingSecret as string;
  receiver.state.secret = signingSecret;
  const rule = await gql(
    `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }`,
    {
      input: { channelId: channel.createNotificationChannel.channel.id, event: 'RUN_FAILED' },
    },
  );
  expect(rule.errors).toBeUndefined();

  const { data: exported } = await gql(
    `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
    {
      input: {
        name: 'Leak export',
        connectionId,
        listId: '7',
        segmentIds: [segment.createSegment.id],
        mapping: { email: 'Email', firstName: 'FirstName', lastName: 'LastName', phone: 'Phone' },
      },
    },
  );
  const exportId = exported.createExport.id as string;
  const run = `mutation($id: ID!) { runExport(id: $id) { id } }`;
  const first = await gql(run, { id: exportId });
  expect(first.errors).toBeUndefined();
  expect(await runStatus(first.data.runExport.id)).toBe('SUCCEEDED');
  expect(
    fake
      .account(apiKey)
      .listMembers(7)
      .map((m) => m.email),
  ).toHaveLength(3);

  // A key revoked after connecting: the run fails on ActiveCampaign's 403, and the alert goes out.
  const revoked = await outbound.deps.secrets.encrypt(rejectedKey);
  await outbound.sql`update connections set api_key_ciphertext = ${revoked} where id = ${connectionId}`;
  const second = await gql(run, { id: exportId });
  expect(second.errors).toBeUndefined();
  expect(await runStatus(second.data.runExport.id)).toBe('FAILED');
  await until('the alert', async () => (receiver.accepted.length > 0 ? true : undefined));

  await api.kill();
  await worker.kill();
  const logs = { api: api.output(), worker: worker.output() };
  // The capture sees both processes' structured lines (pino's own writes, not console calls).
  expect(logs.api).toMatch(/"level":"info"/);
  expect(logs.worker).toMatch(/"level":"(info|debug)"/);
  const secrets = [
    apiKey,
    rejectedKey,
    outbound.adminToken,
    sourcePassword,
    signingSecret,
    outbound.config.secretKey,
    ...[...people, ...sourcePeople].flatMap((p) => [p.email, p.first, p.last, p.phone]),
  ];
  for (const [name, text] of Object.entries(logs)) {
    const found = secrets.filter((secret) => text.includes(secret));
    expect(found, `${name} log`).toEqual([]);
    expect(text.match(/[\w.+-]+@example\.com/g) ?? [], `${name} log`).toEqual([]);
  }
});
