import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';
import { expectNothingWritten, expectRejected, tokenFor } from './helpers.ts';

// Alert channels and rules, and sources, are the admins' alone: a contributor or a viewer can neither
// read nor change them, and a refused call leaves every row as it was.
let outbound: Outbound;
let team: TeamDatabase;
const tokens: Record<'contributor' | 'viewer', string> = { contributor: '', viewer: '' };

beforeAll(async () => {
  team = await createTeamDatabase();
  const teamUrl = new URL(team.url);
  outbound = await startOutbound({
    insecureHosts: ['127.0.0.1:9', `${teamUrl.hostname}:${teamUrl.port || '5432'}`],
    worker: false,
  });
  await team.sql`create table customers (customer_id text primary key, "Email" text)`;
  tokens.contributor = await tokenFor(outbound, 'CONTRIBUTOR');
  tokens.viewer = await tokenFor(outbound, 'VIEWER');
});

afterAll(async () => {
  await outbound?.close();
  await team?.drop();
});

/** A webhook channel, a rule on it and a source, made by the admin for one test. */
async function adminsThings() {
  const { createNotificationChannel } = await outbound.gql(
    `mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { channel { id } } }`,
    { input: { kind: 'WEBHOOK', name: 'Ops hook', url: 'http://127.0.0.1:9/hook' } },
  );
  const channelId = createNotificationChannel.channel.id as string;
  const { createAlertRule } = await outbound.gql(
    `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }`,
    { input: { channelId, event: 'RUN_FAILED' } },
  );
  const { createSource } = await outbound.gql(
    `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
    { input: { name: `CRM ${Math.random()}`, databaseUrl: team.url, table: 'customers' } },
  );
  return { channelId, ruleId: createAlertRule.id as string, sourceId: createSource.id as string };
}

const calls = ({ channelId, ruleId, sourceId }: Awaited<ReturnType<typeof adminsThings>>) =>
  [
    ['alertRules', '{ alertRules { id } }', {}],
    ['notificationChannels', '{ notificationChannels { id } }', {}],
    [
      'createAlertRule',
      'mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }',
      { input: { channelId, event: 'RUN_SLOW', thresholdMinutes: 5 } },
    ],
    ['deleteAlertRule', 'mutation($id: ID!) { deleteAlertRule(id: $id) }', { id: ruleId }],
    [
      'updateNotificationChannel',
      'mutation($id: ID!, $input: UpdateNotificationChannelInput!) { updateNotificationChannel(id: $id, input: $input) { id } }',
      { id: channelId, input: { name: 'Mine now' } },
    ],
    [
      'deleteNotificationChannel',
      'mutation($id: ID!) { deleteNotificationChannel(id: $id) }',
      { id: channelId },
    ],
    ['deleteSource', 'mutation($id: ID!) { deleteSource(id: $id) }', { id: sourceId }],
  ] as const;

describe.each(['contributor', 'viewer'] as const)('a %s', (role) => {
  test('is refused every read and change of alert channels, rules and sources, and nothing changes', async () => {
    const things = await adminsThings();
    for (const [name, query, variables] of calls(things)) {
      const result = await expectNothingWritten(outbound, () =>
        outbound.graphql(query, { ...variables }, tokens[role]),
      );
      expect(result.errors?.[0]?.extensions?.code, name).toBe('FORBIDDEN');
      expectRejected(result, { code: 'FORBIDDEN' });
    }
  });
});

test('an admin may do each of them', async () => {
  const { channelId, ruleId, sourceId } = await adminsThings();
  const { alertRules } = await outbound.gql('{ alertRules { id } }');
  expect(alertRules.map((r: { id: string }) => r.id)).toContain(ruleId);
  const { updateNotificationChannel } = await outbound.gql(
    'mutation($id: ID!, $input: UpdateNotificationChannelInput!) { updateNotificationChannel(id: $id, input: $input) { name } }',
    { id: channelId, input: { name: 'Renamed hook' } },
  );
  expect(updateNotificationChannel.name).toBe('Renamed hook');
  expect(
    (await outbound.gql('mutation($id: ID!) { deleteAlertRule(id: $id) }', { id: ruleId })).deleteAlertRule,
  ).toBe(ruleId);
  expect(await outbound.sql`select 1 from alert_rules where id = ${ruleId}`).toHaveLength(0);
  expect(
    (await outbound.gql('mutation($id: ID!) { deleteSource(id: $id) }', { id: sourceId })).deleteSource,
  ).toBe(true);
  expect(await outbound.sql`select 1 from sources where id = ${sourceId}`).toHaveLength(0);
});
