import type { Sql } from '../../db/client.ts';
import type { Outbound } from './outbound.ts';

export type ProfileFixture = { customerId: string; attributes: Record<string, unknown> };

/** `count` profiles with distinct emails and names; `invalidEvery` makes every n-th email invalid. */
export function makeProfiles(count: number, { prefix = 'c', invalidEvery = 0 } = {}): ProfileFixture[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const id = `${prefix}${String(n).padStart(7, '0')}`;
    return {
      customerId: id,
      attributes: {
        Email:
          invalidEvery && n % invalidEvery === 0
            ? `broken(${n})@example`
            : `person${n}.${prefix}@example.com`,
        FirstName: `First${n}`,
        LastName: `Last${n}`,
        Phone: `+36 1 ${String(1_000_000 + n)}`,
        Tier: n % 3 === 0 ? 'gold' : 'silver',
        Country: n % 2 ? 'HU' : 'AT',
      },
    };
  });
}

/** Loads profiles straight into Postgres in one statement per 10,000 (large fixtures). */
export async function insertProfiles(sql: Sql, profiles: ProfileFixture[]): Promise<void> {
  for (let i = 0; i < profiles.length; i += 10_000) {
    const slice = profiles.slice(i, i + 10_000);
    await sql`
      insert into profiles (customer_id, attributes)
      select * from unnest(${slice.map((p) => p.customerId)}::text[], ${slice.map((p) => JSON.stringify(p.attributes))}::jsonb[])
      on conflict (customer_id) do update set attributes = excluded.attributes`;
  }
}

export const connectionMutation = `mutation($input: CreateConnectionInput!) {
  createConnection(input: $input) { id displayName apiHost apiKeyMasked contributorsCanUse exportUser { email } }
}`;

type ExportSetup = {
  apiKey: string;
  listId?: string;
  name?: string;
  /** A static segment of these customers, or `rule`. */
  customerIds?: string[];
  rule?: unknown;
  onLeave?: 'KEEP' | 'UNSUBSCRIBE';
};

/** A connection, a segment (static, or from a rule) and an export of it with the usual mapping. */
export async function setUpExport(outbound: Outbound, fake: { host: string }, setup: ExportSetup) {
  const { apiKey, listId = '7', name = 'Newsletter export', onLeave = 'KEEP' } = setup;
  const { createConnection } = await outbound.gql(connectionMutation, {
    input: { displayName: 'Fake AC', apiHost: fake.host, apiKey, acceptDataPrivacy: true },
  });
  const { createSegment } = await outbound.gql(
    `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id memberCount } }`,
    { input: { name: `${name} segment`, rule: setup.rule ?? { customerIds: setup.customerIds } } },
  );
  const { createExport } = await outbound.gql(
    `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
    {
      input: {
        name,
        connectionId: createConnection.id,
        listId,
        segmentIds: [createSegment.id],
        mapping: { email: 'Email', firstName: 'FirstName', lastName: 'LastName', phone: 'Phone' },
        onLeave,
      },
    },
  );
  return {
    connectionId: createConnection.id as string,
    segmentId: createSegment.id as string,
    exportId: createExport.id as string,
  };
}

export async function runExport(outbound: Outbound, exportId: string): Promise<string> {
  const { runExport } = await outbound.gql(`mutation($id: ID!) { runExport(id: $id) { id status } }`, {
    id: exportId,
  });
  return runExport.id;
}
