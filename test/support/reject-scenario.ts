import type { FakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { connectionMutation, insertProfiles, newAccount, runExport } from './fixtures.ts';
import type { Outbound } from './outbound.ts';
import { waitForRun } from './runs.ts';

/** The email of the profile whose email is refused: a formula, a comma, quotes and a line break. */
export const hostileEmail = '=1+2,"x"\nmore@example';

/**
 * A finished run with one contact of each kind of reject: `-01` exported; `-02` a City the dropdown does
 * not offer (Outbound's own check: never sent); `-03` a City ActiveCampaign stopped offering after the
 * export was saved (refused by ActiveCampaign); `-04` an invalid email (`hostileEmail`); `-05` and
 * `-07,"q"` no email; `-06` unsubscribed from the list (skipped).
 */
export async function runWithRejects(outbound: Outbound, fake: FakeActiveCampaign, prefix: string) {
  const { apiKey, account } = newAccount(fake, {
    fields: [
      { id: 1, title: 'Tier' },
      { id: 2, title: 'City', type: 'dropdown', options: ['Budapest', 'Vienna'] },
    ],
  });
  const id = (n: string) => `${prefix}-${n}`;
  const email = (n: string) => `${prefix}.${n}@example.com`;
  const profiles = [
    { customerId: id('01'), attributes: { Email: email('01'), City: 'Budapest', Tier: 'gold' } },
    { customerId: id('02'), attributes: { Email: email('02'), City: 'Atlantis', Tier: 'gold' } },
    { customerId: id('03'), attributes: { Email: email('03'), City: 'Vienna', Tier: 'silver' } },
    { customerId: id('04'), attributes: { Email: hostileEmail, City: 'Budapest' } },
    { customerId: id('05'), attributes: { City: 'Budapest' } },
    { customerId: id('06'), attributes: { Email: email('06'), City: 'Budapest' } },
    { customerId: id('07,"q"'), attributes: { Tier: '@SUM(1)' } },
  ];
  await insertProfiles(outbound.sql, profiles);
  const { createConnection } = await outbound.gql(connectionMutation, {
    input: { displayName: `Rejects ${prefix}`, apiHost: fake.host, apiKey, acceptDataPrivacy: true },
  });
  const { createSegment } = await outbound.gql(
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
    { input: { name: `Rejects ${prefix}`, rule: { customerIds: profiles.map((p) => p.customerId) } } },
  );
  const { createExport } = await outbound.gql(
    `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
    {
      input: {
        name: `Rejects ${prefix}`,
        connectionId: createConnection.id,
        listId: '7',
        segmentIds: [createSegment.id],
        mapping: {
          email: 'Email',
          fields: [
            { attribute: 'City', fieldId: '2' },
            { attribute: 'Tier', fieldId: '1' },
          ],
        },
      },
    },
  );
  // An account admin edits the dropdown after the export was saved; a contact unsubscribed themselves.
  account.setFieldOptions(2, ['Budapest']);
  account.unsubscribeAsContact(email('06'), 7);
  const runId = await runExport(outbound, createExport.id);
  const run = await waitForRun(outbound, runId);
  return { account, runId, run, exportId: createExport.id as string, id, email };
}
