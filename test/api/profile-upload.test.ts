import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createUserWithToken } from '../../core/users.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { tokenFor } from './helpers.ts';

let outbound: Outbound;
let contributorToken: string;
let writerToken: string;

const importDoc = `mutation($input: ImportProfilesInput!) {
  importProfiles(input: $input) { imported badRowCount badRows { line reason } }
}`;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  contributorToken = await tokenFor(outbound, 'CONTRIBUTOR');
  writerToken = (
    await createUserWithToken(outbound.sql, 'uploader@outbound.test', 'CONTRIBUTOR', {
      canWriteProfiles: true,
    })
  ).token;
});

afterAll(async () => {
  await outbound?.close();
});

beforeEach(async () => {
  await outbound.sql`truncate profiles`;
});

const stored = async () =>
  Object.fromEntries(
    (
      await outbound.sql<{ customer_id: string; attributes: Record<string, unknown> }[]>`
        select customer_id, attributes from profiles order by customer_id`
    ).map((r) => [r.customer_id, r.attributes]),
  );

describe('importProfiles', () => {
  test('a CSV is imported as the CLI imports it: bad rows are reported by line, the others written', async () => {
    const content = [
      'customer_id,Email,Country',
      'u1,u1@example.com,HU',
      'u2,"u2@example.com",AT,extra',
      ',nobody@example.com,HU',
      'u3,u3@example.com,',
      '',
    ].join('\n');
    const { importProfiles } = await outbound.gql(
      importDoc,
      { input: { format: 'CSV', content } },
      writerToken,
    );
    expect(importProfiles).toEqual({
      imported: 2,
      badRowCount: 2,
      badRows: [
        { line: 3, reason: 'expected 3 columns as in the header, found 4' },
        { line: 4, reason: expect.stringContaining('customer_id') },
      ],
    });
    expect(await stored()).toEqual({
      u1: { Email: 'u1@example.com', Country: 'HU' },
      u3: { Email: 'u3@example.com' },
    });
    const [audit] = await outbound.sql`
      select details from audit_events where action = 'profiles.imported' order by created_at desc limit 1`;
    expect(audit?.details).toEqual({ imported: 2, badRows: 2 });
  });

  test('NDJSON too; a file that cannot be read at all is refused at `content` and writes nothing', async () => {
    const content = '{"customerId":"n1","attributes":{"Email":"n1@example.com"}}\nnot json\n';
    const { importProfiles } = await outbound.gql(importDoc, { input: { format: 'NDJSON', content } });
    expect(importProfiles.imported).toBe(1);
    expect(importProfiles.badRows).toEqual([{ line: 2, reason: expect.stringContaining('invalid JSON') }]);

    const noId = await outbound.graphql(importDoc, {
      input: { format: 'CSV', content: 'Email\nx@example.com\n' },
    });
    expect(noId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'content' });
    expect(noId.errors?.[0]?.message).toContain('customer_id');
    expect(Object.keys(await stored())).toEqual(['n1']);
  });

  test('a contributor without the grant is refused; nothing is written', async () => {
    const refused = await outbound.graphql(
      importDoc,
      { input: { format: 'CSV', content: 'customer_id,Email\nz1,z1@example.com\n' } },
      contributorToken,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await stored()).toEqual({});
  });
});
