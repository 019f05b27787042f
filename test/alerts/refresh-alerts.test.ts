import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';
import { startReceiver, verifySignature } from './receivers.ts';

let outbound: Outbound;
let team: TeamDatabase;
let webhook: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  team = await createTeamDatabase();
  const url = new URL(team.url);
  webhook = await startReceiver({ failFirst: 1 });
  outbound = await startOutbound({ insecureHosts: [`${url.hostname}:${url.port || '5432'}`, webhook.host] });
  await team.sql`create table customers (customer_id text primary key, email text)`;
  await team.sql`insert into customers values ('r1', 'renamed-one@example.com'), ('r2', 'renamed-two@example.com')`;
});

afterAll(async () => {
  await outbound?.close();
  await webhook?.stop();
  await team?.drop();
});

async function until<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

test('a source sync failing on a renamed table reaches a SOURCE_SYNC_FAILED webhook rule, signed, once, without row data', async () => {
  const { createSource } = await outbound.gql(
    `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
    { input: { name: 'Warehouse CRM', databaseUrl: team.url, table: 'customers' } },
  );
  const { createNotificationChannel } = await outbound.gql(
    `mutation($input: CreateNotificationChannelInput!) {
      createNotificationChannel(input: $input) { channel { id } signingSecret } }`,
    { input: { name: 'Data team hook', kind: 'WEBHOOK', url: webhook.url } },
  );
  webhook.state.secret = createNotificationChannel.signingSecret;
  const channelId = createNotificationChannel.channel.id;
  const rule = `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }`;
  await outbound.gql(rule, { input: { channelId, event: 'SOURCE_SYNC_FAILED' } });
  await outbound.gql(rule, { input: { channelId, event: 'RUN_FAILED' } });
  const perExport = await outbound.graphql(rule, {
    input: { channelId, event: 'SOURCE_SYNC_FAILED', exportId: '00000000-0000-4000-8000-000000000000' },
  });
  expect(perExport.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'exportId' });

  await team.sql`alter table customers rename to clients`;
  const { syncSource } = await outbound.gql(`mutation($id: ID!) { syncSource(id: $id) { id } }`, {
    id: createSource.id,
  });
  const sync = await until(async () => {
    const [row] = await outbound.sql<{ status: string; error: string | null }[]>`
      select status, error from source_syncs where id = ${syncSource.id}`;
    return row?.status === 'FAILED' ? row : undefined;
  }, 'the sync to fail');
  expect(sync.error).toContain('42P01');

  // The receiver refuses the first attempt: the delivery is retried until it lands.
  const received = await until(async () => webhook.accepted[0], 'the alert');
  expect(webhook.state.requests).toBeGreaterThanOrEqual(2);
  expect(received.json).toMatchObject({
    event: 'SOURCE_SYNC_FAILED',
    source: { id: createSource.id, name: 'Warehouse CRM' },
    export: null,
    run: null,
  });
  expect(received.json.reason).toContain('Warehouse CRM');
  expect(received.json.reason).toContain('SQLSTATE 42P01');
  expect(received.json.reason).toContain('does not exist');
  expect(received.body).not.toContain('@example.com');
  expect(received.body).not.toContain(team.url);
  expect(
    verifySignature(
      String(received.headers['outbound-signature']),
      received.body,
      webhook.state.secret as string,
    ),
  ).toBe(true);
  // The delivery is recorded SENT once the receiver's answer is back: a moment after it was received.
  const deliveries = await until(async () => {
    const rows = await outbound.sql<{ event: string; status: string; attempts: number }[]>`
      select event, status, attempts from notification_deliveries where subject is not null`;
    return rows[0]?.status === 'SENT' ? rows : undefined;
  }, 'the delivery to be recorded SENT');
  expect(deliveries).toEqual([{ event: 'SOURCE_SYNC_FAILED', status: 'SENT', attempts: 2 }]);
  const { notificationDeliveries } = await outbound.gql(
    '{ notificationDeliveries(first: 5) { edges { node { status } } } }',
  );
  expect(notificationDeliveries.edges).toEqual([{ node: { status: 'SENT' } }]);
  expect(webhook.accepted).toHaveLength(1);
});
