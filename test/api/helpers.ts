import { expect } from 'vitest';
import { ATTRIBUTE_NAMES_KEY } from '../../core/profiles/store.ts';
import { createUserWithToken, type UserRole } from '../../core/users.ts';
import type { Sql } from '../../db/client.ts';
import type { GraphQLResponse, Outbound } from '../support/outbound.ts';

export const createConnectionDoc = `mutation($input: CreateConnectionInput!) {
  createConnection(input: $input) {
    id displayName type apiHost apiKeyMasked contributorsCanUse canUse privacyAcceptedAt
    privacyAcceptedBy { email } exportUser { email }
  }
}`;

export const updateConnectionDoc = `mutation($id: ID!, $input: UpdateConnectionInput!) {
  updateConnection(id: $id, input: $input) { id displayName apiHost apiKeyMasked contributorsCanUse updatedAt }
}`;

export const createExportDoc = `mutation($input: CreateExportInput!) {
  createExport(input: $input) {
    id name listId enabled onLeave connection { id } segments { id }
    mapping { email firstName lastName phone fields { attribute fieldId } } lastRun { id }
  }
}`;

export const updateExportDoc = `mutation($id: ID!, $input: UpdateExportInput!) {
  updateExport(id: $id, input: $input) { id name listId enabled mapping { email fields { fieldId } } }
}`;

export const createSegmentDoc = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`;
export const upsertProfilesDoc = `mutation($p: [ProfileInput!]!) { upsertProfiles(profiles: $p) }`;
export const runExportDoc = `mutation($id: ID!) { runExport(id: $id) { id status trigger workflowId } }`;
export const cancelRunDoc = `mutation($id: ID!) { cancelExportRun(id: $id) { id status } }`;
export const auditDoc = `query($subjectId: ID) {
  auditEvents(subjectId: $subjectId, first: 100) {
    nodes { action actorEmail subjectType subjectId details createdAt }
  }
}`;

export type Counts = Record<string, number>;
const countedTables = [
  'users',
  'api_tokens',
  'connections',
  'exports',
  'export_runs',
  'segments',
  'segment_members',
  'profiles',
  'settings',
  'sources',
  'notification_channels',
  'alert_rules',
  'notification_deliveries',
  'audit_events',
];

/**
 * Using a token records when (api_tokens.last_used_at), and reading attribute names may build their cache
 * (settings 'profile_attribute_names'): neither is a write of the request's own.
 */
const snapshotSource: Record<string, string> = {
  api_tokens: '(select id, user_id, token_hash, name, hint, expires_at, created_at from api_tokens)',
  settings: `(select * from settings where key <> '${ATTRIBUTE_NAMES_KEY}')`,
};

export async function rowCounts(sql: Sql): Promise<Counts> {
  const [row] = await sql.unsafe<[Counts]>(
    `select ${countedTables.map((t) => `(select count(*)::int from ${snapshotSource[t] ?? t} x) as ${t}`).join(', ')}`,
  );
  return row;
}

/** Runs `act` and fails unless every counted table (rows and their content) is as it was before. */
export async function expectNothingWritten<T>(outbound: Outbound, act: () => Promise<T>): Promise<T> {
  const snapshot = () =>
    outbound.sql.unsafe(
      countedTables
        .filter((t) => t !== 'export_runs' && t !== 'audit_events')
        .map(
          (t) =>
            `select '${t}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${snapshotSource[t] ?? t} x`,
        )
        .join(' union all '),
    );
  const before = { counts: await rowCounts(outbound.sql), content: await snapshot() };
  const result = await act();
  expect({ counts: await rowCounts(outbound.sql), content: await snapshot() }).toEqual(before);
  return result;
}

type Rejection = { code: string; field?: string; message?: RegExp | string };

/** The request failed with exactly one error of this code (and field), and returned no data for it. */
export function expectRejected(result: GraphQLResponse, { code, field, message }: Rejection) {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  const [error] = result.errors ?? [];
  expect(error?.extensions?.code).toBe(code);
  expect(error?.extensions?.field).toBe(field);
  if (message) expect(error?.message).toMatch(message);
  for (const value of Object.values(result.data ?? {})) expect(value).toBeNull();
}

export async function tokenFor(
  outbound: Outbound,
  role: UserRole,
  email = `${role.toLowerCase()}@outbound.test`,
) {
  return (await createUserWithToken(outbound.sql, email, role)).token;
}

export const profileRows = (count: number, prefix = 'p') =>
  Array.from({ length: count }, (_, i) => ({
    customerId: `${prefix}${String(i + 1).padStart(4, '0')}`,
    attributes: {
      Email: `${prefix}${i + 1}@example.com`,
      FirstName: `F${i + 1}`,
      Tier: i % 2 ? 'gold' : 'silver',
    },
  }));
