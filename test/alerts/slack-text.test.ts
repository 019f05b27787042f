import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { runAlertsWorkflowId } from '../../temporal.config.ts';
import { insertProfiles, makeProfiles, runExport, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';
import { startReceiver } from './receivers.ts';

const scale = 30;
const apiKey = 'slack-text-key-0001';
let fake: FakeActiveCampaign;
let outbound: Outbound;
let slack: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  slack = await startReceiver();
  outbound = await startOutbound({ insecureHosts: [fake.host, slack.host], rateScale: scale });
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
  await slack?.stop();
});

test('a name with Slack markup reaches Slack as typed: no channel ping, no disguised link (issue 30, row 9)', async () => {
  const hostile = '<!channel> <https://evil.example|Reset your password> & <@U123>';
  const profiles = makeProfiles(3, { prefix: 'slack' });
  await insertProfiles(outbound.sql, profiles);
  const { exportId, connectionId } = await setUpExport(outbound, fake, {
    apiKey,
    name: hostile,
    customerIds: profiles.map((p) => p.customerId),
  });
  const { createNotificationChannel } = await outbound.gql(
    `mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { channel { id } } }`,
    { input: { name: 'Ops Slack', kind: 'SLACK', url: slack.url } },
  );
  await outbound.gql(`mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }`, {
    input: { channelId: createNotificationChannel.channel.id, exportId, event: 'RUN_FAILED' },
  });
  // A key ActiveCampaign refuses: the run fails for good and alerts.
  await outbound.sql`update connections set api_key_ciphertext = ${await outbound.deps.secrets.encrypt('revoked-key-000')}
    where id = ${connectionId}`;

  const failed = await waitForRun(outbound, await runExport(outbound, exportId), { timeoutMs: 60_000 });
  expect(failed.status).toBe('FAILED');
  await waitForAlerts(failed.id);

  expect(slack.accepted).toHaveLength(1);
  const text = String(slack.accepted[0]?.json.text);
  expect(text).toContain(
    '&lt;!channel&gt; &lt;https://evil.example|Reset your password&gt; &amp; &lt;@U123&gt;',
  );
  expect(text).not.toMatch(/<!channel>|<https:|<@U123>/);
  expect(text).toContain(`Run ${failed.id}: FAILED`);
});

/** The run's alerts workflow ends once its alerts are sent. */
async function waitForAlerts(runId: string) {
  const handle = outbound.deps.temporal.workflow.getHandle(runAlertsWorkflowId(runId));
  for (let tries = 0; ; tries++) {
    try {
      return await handle.result();
    } catch (error) {
      if (tries > 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
