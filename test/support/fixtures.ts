import { afterAll, beforeAll } from 'vitest';
import type { Sql } from '../../db/client.ts';
import {
  type FakeAccountInit,
  type FakeActiveCampaign,
  startFakeActiveCampaign,
} from '../../fake-activecampaign/index.ts';
import { type Outbound, type OutboundOptions, startOutbound } from './outbound.ts';

/**
 * This file's fake ActiveCampaign at `scale` and an Outbound that reaches it with its limiter at the same
 * scale: started before its tests, closed after them. Tests and hooks read `stack.fake`, `stack.outbound`.
 */
export function withFakeAndOutbound(scale: number, options: OutboundOptions = {}) {
  const stack = {} as { fake: FakeActiveCampaign; outbound: Outbound };
  beforeAll(async () => {
    stack.fake = await startFakeActiveCampaign({ scale });
    stack.outbound = await startOutbound({ insecureHosts: [stack.fake.host], rateScale: scale, ...options });
  });
  afterAll(async () => {
    await stack.outbound?.close();
    await stack.fake?.close();
  });
  return stack;
}

let accountKeys = 0;

/** An account of its own on the fake (list 7 unless `init` says otherwise): what a test counts there is its own. */
export function newAccount(fake: FakeActiveCampaign, init: Omit<FakeAccountInit, 'apiKeys'> = {}) {
  const apiKey = `test-account-key-${++accountKeys}`;
  return { apiKey, account: fake.addAccount({ lists: [7], ...init, apiKeys: [apiKey] }) };
}

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
  /** A static segment of these customers, or `rule`; or, instead of a new segment, these segments. */
  customerIds?: string[];
  rule?: unknown;
  segmentIds?: string[];
  onLeave?: 'KEEP' | 'UNSUBSCRIBE';
};

/** A connection, a segment (static, or from a rule; or `segmentIds`) and an export of it with the usual mapping. */
export async function setUpExport(outbound: Outbound, fake: { host: string }, setup: ExportSetup) {
  const { apiKey, listId = '7', name = 'Newsletter export', onLeave = 'KEEP' } = setup;
  const { createConnection } = await outbound.gql(connectionMutation, {
    input: { displayName: 'Fake AC', apiHost: fake.host, apiKey, acceptDataPrivacy: true },
  });
  const segmentIds = setup.segmentIds ?? [
    (
      await outbound.gql(
        `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id memberCount } }`,
        { input: { name: `${name} segment`, rule: setup.rule ?? { customerIds: setup.customerIds } } },
      )
    ).createSegment.id as string,
  ];
  const { createExport } = await outbound.gql(
    `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
    {
      input: {
        name,
        connectionId: createConnection.id,
        listId,
        segmentIds,
        mapping: { email: 'Email', firstName: 'FirstName', lastName: 'LastName', phone: 'Phone' },
        onLeave,
      },
    },
  );
  return {
    connectionId: createConnection.id as string,
    segmentId: segmentIds[0] as string,
    exportId: createExport.id as string,
  };
}

export async function runExport(outbound: Outbound, exportId: string): Promise<string> {
  const { runExport } = await outbound.gql(`mutation($id: ID!) { runExport(id: $id) { id status } }`, {
    id: exportId,
  });
  return runExport.id;
}

type NewProfilesExport = Omit<ExportSetup, 'apiKey' | 'customerIds' | 'rule'> & {
  prefix: string;
  count: number;
  invalidEvery?: number;
  /** Chosen by a rule on their `Member` attribute (their prefix), not as a static list of their ids. */
  byRule?: boolean;
  account?: Omit<FakeAccountInit, 'apiKeys'>;
};

/** `count` new profiles loaded, and an export of them (setUpExport) to a new account of the fake. */
export async function exportNewProfiles(
  outbound: Outbound,
  fake: FakeActiveCampaign,
  options: NewProfilesExport,
) {
  const { prefix, count, invalidEvery, byRule, account: init, ...setup } = options;
  const { apiKey, account } = newAccount(fake, init);
  const profiles: ProfileFixture[] = makeProfiles(count, { prefix, invalidEvery }).map((p) =>
    byRule ? { ...p, attributes: { ...p.attributes, Member: prefix } } : p,
  );
  await insertProfiles(outbound.sql, profiles);
  const ids = await setUpExport(outbound, fake, {
    ...setup,
    apiKey,
    ...(byRule
      ? { rule: { all: [{ attribute: 'Member', op: 'EQ', value: prefix }] } }
      : { customerIds: profiles.map((p) => p.customerId) }),
  });
  return { apiKey, account, profiles, ...ids };
}
