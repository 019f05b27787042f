import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { exportNewProfiles, runExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { alertsOf as alertsOfRun, waitForRun } from '../support/runs.ts';
import { startReceiver, startSmtpSink } from './receivers.ts';

const scale = 30;
let fake: FakeActiveCampaign;
let outbound: Outbound;
let webhook: Awaited<ReturnType<typeof startReceiver>>;
let slack: Awaited<ReturnType<typeof startReceiver>>;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale });
  webhook = await startReceiver({ failFirst: 2 });
  slack = await startReceiver();
  smtp = await startSmtpSink();
  outbound = await startOutbound({
    insecureHosts: [fake.host, webhook.host, slack.host],
    rateScale: scale,
    smtpUrl: smtp.url,
  });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
  await webhook?.stop();
  await slack?.stop();
  await smtp?.close();
});

// Each test subscribes its own channels and counts what its receivers got: none left by an earlier one.
beforeEach(async () => {
  await outbound.sql`truncate notification_channels cascade`;
  for (const receiver of [webhook, slack]) {
    receiver.state.requests = 0;
    receiver.state.secret = null;
    receiver.accepted.length = 0;
    receiver.badSignatures.length = 0;
  }
  smtp.mails.length = 0;
});

const createChannel = `mutation($input: CreateNotificationChannelInput!) {
  createNotificationChannel(input: $input) { channel { id name kind urlMasked } signingSecret }
}`;
const createRule = `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id event exportId } }`;

async function channel(input: Record<string, unknown>) {
  const { createNotificationChannel } = await outbound.gql(createChannel, { input });
  return createNotificationChannel as {
    channel: { id: string; urlMasked: string | null };
    signingSecret: string | null;
  };
}

const exportTo = (prefix: string, count: number) =>
  exportNewProfiles(outbound, fake, { prefix, count, name: `Alerts export ${prefix}` });

async function revokeKey(connectionId: string) {
  await outbound.sql`update connections set api_key_ciphertext = ${await outbound.deps.secrets.encrypt('revoked-key-000')}
    where id = ${connectionId}`;
}

const alertsOf = (runId: string) => alertsOfRun(outbound, runId);

async function deliveriesOf(runId: string) {
  return outbound.sql<{ id: string; event: string; status: string; attempts: number; channelId: string }[]>`
    select id, event, status, attempts, channel_id as "channelId" from notification_deliveries where run_id = ${runId}`;
}

test('channel URLs obey the outbound-host policy; the signing secret is shown once and sealed at rest', async () => {
  const refused = await outbound.graphql(createChannel, {
    input: { name: 'Private', kind: 'WEBHOOK', url: 'http://127.0.0.1:9/hook' },
  });
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
  const plain = await outbound.graphql(createChannel, {
    input: { name: 'Plain', kind: 'SLACK', url: 'http://hooks.example.com/x' },
  });
  expect(plain.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });

  const created = await channel({
    name: 'Ops webhook (test)',
    kind: 'WEBHOOK',
    url: `${webhook.url}?token=abcd1234`,
  });
  expect(created.signingSecret).toMatch(/^whsec_[0-9a-f]{64}$/);
  expect(created.channel.urlMasked).toBe(`http://${webhook.host}/••••1234`);
  const [row] = await outbound.sql`select * from notification_channels where id = ${created.channel.id}`;
  expect(JSON.stringify(row)).not.toContain('abcd1234');
  expect(JSON.stringify(row)).not.toContain(created.signingSecret);
  const { notificationChannels } = await outbound.gql('{ notificationChannels { id urlMasked } }');
  expect(JSON.stringify(notificationChannels)).not.toContain(created.signingSecret);
  await outbound.gql('mutation($id: ID!) { deleteNotificationChannel(id: $id) }', { id: created.channel.id });
});

test('testNotificationChannel sends a test message and returns the delivery', async () => {
  const mail = await channel({ name: 'Mail test', kind: 'EMAIL', emailTo: 'oncall@outbound.test' });
  const { testNotificationChannel } = await outbound.gql(
    'mutation($id: ID!) { testNotificationChannel(id: $id) { id status attempts lastError createdAt } }',
    { id: mail.channel.id },
  );
  expect(testNotificationChannel).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
  expect(smtp.mails.filter((m) => m.raw.includes('A test message from Outbound'))).toHaveLength(1);
  await outbound.gql('mutation($id: ID!) { deleteNotificationChannel(id: $id) }', { id: mail.channel.id });
});

test('a run failing for good alerts exactly once on each subscribed channel; its recovery once more', async () => {
  const hook = await channel({ name: 'Ops webhook', kind: 'WEBHOOK', url: webhook.url });
  webhook.state.secret = hook.signingSecret;
  const slackChannel = await channel({ name: 'Ops Slack', kind: 'SLACK', url: slack.url });
  const mail = await channel({ name: 'Ops mail', kind: 'EMAIL', emailTo: 'oncall@outbound.test' });
  const { exportId, connectionId, apiKey } = await exportTo('a', 20);
  for (const c of [hook, slackChannel, mail]) {
    await outbound.gql(createRule, { input: { channelId: c.channel.id, exportId, event: 'RUN_FAILED' } });
  }
  await outbound.gql(createRule, { input: { channelId: hook.channel.id, event: 'RUN_RECOVERED' } });
  const good = await outbound.deps.secrets.encrypt(apiKey);
  await revokeKey(connectionId);

  const failed = await waitForRun(outbound, await runExport(outbound, exportId), { timeoutMs: 60_000 });
  expect(failed.status).toBe('FAILED');
  expect(await alertsOf(failed.id)).toEqual({ sent: 3 });

  // The webhook answered 503 twice: retried, and accepted once, with a valid signature.
  expect(webhook.state.requests).toBe(3);
  expect(webhook.badSignatures).toEqual([]);
  expect(webhook.accepted).toHaveLength(1);
  const [alert] = webhook.accepted;
  expect(alert?.json).toMatchObject({
    event: 'RUN_FAILED',
    export: { id: exportId, name: 'Alerts export a' },
    connection: { name: 'Fake AC' },
    run: { id: failed.id, status: 'FAILED', counts: { exported: 0 } },
    links: {
      run: `http://outbound.test/runs/${failed.id}`,
      temporal: expect.stringContaining(`export-${exportId}`),
    },
  });
  expect(slack.accepted).toHaveLength(1);
  expect(slack.accepted[0]?.json.text).toContain('Alerts export a');
  expect(smtp.mails).toHaveLength(1);
  expect(smtp.mails[0]).toMatchObject({ to: ['oncall@outbound.test'] });
  expect(smtp.mails[0]?.raw).toContain('Subject: Outbound: RUN_FAILED - Alerts export a');
  expect(smtp.mails[0]?.raw).toContain(`Run ${failed.id}: FAILED`);
  // Its delivery's id as Message-ID and header: a resend after a lost SENT is the same message.
  expect(smtp.mails[0]?.raw).toMatch(/Message-ID: <[0-9a-f-]{36}@outbound\.delivery>/i);
  expect(alert?.headers['outbound-delivery-id']).toBe(alert?.json.deliveryId);
  for (const text of [alert?.body, slack.accepted[0]?.body, smtp.mails[0]?.raw]) {
    expect(text).not.toMatch(/@example\.com|First\d|Last\d|\+36 1/);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain('revoked-key-000');
  }
  const deliveries = await deliveriesOf(failed.id);
  expect(deliveries.map((d) => d.status)).toEqual(['SENT', 'SENT', 'SENT']);
  expect(deliveries.find((d) => d.channelId === hook.channel.id)?.attempts).toBe(3);
  const { notificationDeliveries } = await outbound.gql(
    '{ notificationDeliveries(first: 10) { totalCount nodes { id status attempts lastError } } }',
  );
  expect(notificationDeliveries.nodes).toEqual(
    expect.arrayContaining([expect.objectContaining({ status: 'SENT', attempts: 3, lastError: null })]),
  );

  await outbound.sql`update connections set api_key_ciphertext = ${good} where id = ${connectionId}`;
  const recovered = await waitForRun(outbound, await runExport(outbound, exportId), { timeoutMs: 60_000 });
  expect(recovered.status).toBe('SUCCEEDED');
  expect(await alertsOf(recovered.id)).toEqual({ sent: 1 });
  expect(webhook.accepted.map((a) => a.json.event)).toEqual(['RUN_FAILED', 'RUN_RECOVERED']);
  expect(slack.accepted).toHaveLength(1);
  expect(smtp.mails).toHaveLength(1);
});

test('a run that recovers from a 5xx storm alerts nothing', async () => {
  const hook = await channel({ name: 'Storm webhook', kind: 'WEBHOOK', url: slack.url });
  await outbound.gql(createRule, { input: { channelId: hook.channel.id, event: 'RUN_FAILED' } });
  const before = slack.state.requests;
  const { account, exportId } = await exportTo('s', 1_000);
  account.setFaults({ errorRate: 0.5 });
  try {
    const run = await waitForRun(outbound, await runExport(outbound, exportId), { timeoutMs: 120_000 });
    expect(run).toMatchObject({ status: 'SUCCEEDED', exportedCount: 1_000 });
    expect([...new Set(account.requests().map((r) => r.status))].some((s) => s >= 500)).toBe(true);
    expect(await alertsOf(run.id)).toEqual({ sent: 0 });
    expect(await deliveriesOf(run.id)).toEqual([]);
  } finally {
    account.setFaults({});
  }
  expect(slack.state.requests).toBe(before);
});

test('a receiver that is down gets the alert when it is back', async () => {
  const receiver = await startReceiver();
  outbound.config.insecureHosts.add(receiver.host);
  const hook = await channel({ name: 'Flaky webhook', kind: 'WEBHOOK', url: receiver.url });
  receiver.state.secret = hook.signingSecret;
  const { account, exportId } = await exportTo('d', 10);
  await outbound.gql(createRule, { input: { channelId: hook.channel.id, exportId, event: 'RUN_FAILED' } });
  await receiver.stop();
  account.deleteList(7);
  const run = await waitForRun(outbound, await runExport(outbound, exportId), { timeoutMs: 60_000 });
  expect(run.status).toBe('FAILED');
  // Down: attempts fail and are recorded, the alert is not lost.
  const flaky = async () => (await deliveriesOf(run.id)).find((d) => d.channelId === hook.channel.id);
  for (;;) {
    const delivery = await flaky();
    if (delivery && delivery.attempts >= 3) {
      expect(delivery.status).toBe('FAILED');
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const [{ lastError } = { lastError: '' }] = await outbound.sql`
    select last_error as "lastError" from notification_deliveries
    where run_id = ${run.id} and channel_id = ${hook.channel.id}`;
  expect(lastError).toMatch(/could not be reached/);
  await receiver.start();
  expect(await alertsOf(run.id)).toEqual({ sent: 1 });
  expect(receiver.accepted).toHaveLength(1);
  expect(receiver.accepted[0]?.json).toMatchObject({ event: 'RUN_FAILED', run: { id: run.id } });
  const delivery = await flaky();
  expect(delivery?.status).toBe('SENT');
  expect(delivery?.attempts).toBeGreaterThanOrEqual(4);
  await receiver.stop();
});

test('recording SENT fails: once, it is recorded on a retry and nothing is resent; for longer, the receiver gets the same Outbound-Delivery-Id again', async () => {
  const receiver = await startReceiver();
  outbound.config.insecureHosts.add(receiver.host);
  const hook = await channel({ name: 'Dedupe webhook', kind: 'WEBHOOK', url: receiver.url });
  receiver.state.secret = hook.signingSecret;
  const { account, exportId } = await exportTo('r', 5);
  await outbound.gql(createRule, { input: { channelId: hook.channel.id, exportId, event: 'RUN_FAILED' } });
  account.deleteList(7);
  // A real failure of the update that records SENT, after the receiver took the message: the first
  // updates to SENT of this channel's deliveries raise while the sequence is at or below zero.
  await outbound.sql.unsafe(`
    create sequence sent_record_failures minvalue -100 start with 0;
    create function fail_sent_record() returns trigger language plpgsql as $$
    begin
      if nextval('sent_record_failures') <= 0 then raise exception 'recording SENT failed (test)'; end if;
      return new;
    end $$;
    create trigger fail_sent_record before update on notification_deliveries for each row
      when (new.status = 'SENT' and new.channel_id = '${hook.channel.id}') execute function fail_sent_record();`);
  const deliveryOf = async (runId: string) => {
    const deliveries = await deliveriesOf(runId);
    return deliveries.find((d) => d.channelId === hook.channel.id);
  };
  try {
    const once = await waitForRun(outbound, await runExport(outbound, exportId), { timeoutMs: 60_000 });
    expect(once.status).toBe('FAILED');
    await alertsOf(once.id);
    const first = await deliveryOf(once.id);
    expect(first).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(receiver.accepted.map((a) => a.headers['outbound-delivery-id'])).toEqual([first?.id]);

    // Four failures: more than the activity's own tries, so the activity fails and its retry resends.
    await outbound.sql`select setval('sent_record_failures', -4)`;
    receiver.accepted.length = 0;
    const longer = await waitForRun(outbound, await runExport(outbound, exportId), { timeoutMs: 60_000 });
    expect(longer.status).toBe('FAILED');
    await alertsOf(longer.id);
    const second = await deliveryOf(longer.id);
    expect(second?.status).toBe('SENT');
    expect(receiver.accepted).toHaveLength(2);
    expect(receiver.accepted.map((a) => a.headers['outbound-delivery-id'])).toEqual([second?.id, second?.id]);
    expect(receiver.accepted.map((a) => a.json.deliveryId)).toEqual([second?.id, second?.id]);
  } finally {
    await outbound.sql.unsafe(`
      drop trigger fail_sent_record on notification_deliveries;
      drop function fail_sent_record; drop sequence sent_record_failures;`);
    await receiver.stop();
  }
});
