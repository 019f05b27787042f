import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { tokenFor, upsertProfilesDoc } from './helpers.ts';

const INJECTION = "x'); drop table profiles; --";
const INJECTION_KEY = "Name\" = '' or 1=1; --";

const seed: Record<string, Record<string, unknown>> = {
  a1: { Country: 'HU', Age: 30, Vip: true, Tags: ['vip', 'beta'], Signup: '2024-01-15' },
  a2: { Country: 'DE', Age: 25, Vip: false, Tags: ['beta'], Signup: '2023-06-01' },
  a3: { Country: 'hu', Age: '30' },
  a4: { Country: 'US', Age: 45.5, Name: "O'Brien" },
  a5: {},
  a6: { Name: INJECTION },
  a7: { [INJECTION_KEY]: 'y' },
};
const all = Object.keys(seed).sort();
const except = (...ids: string[]) => all.filter((id) => !ids.includes(id));

let outbound: Outbound;
let fake: FakeActiveCampaign;
let viewerToken: string;
let contributorToken: string;

beforeAll(async () => {
  fake = await startFakeActiveCampaign();
  fake.addAccount({ apiKeys: ['segments-test-key'], lists: [7] });
  outbound = await startOutbound({ worker: false, insecureHosts: [fake.host] });
  viewerToken = await tokenFor(outbound, 'VIEWER');
  contributorToken = await tokenFor(outbound, 'CONTRIBUTOR');
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

// Every test starts from the seed's profiles, whatever an earlier one changed or added.
beforeEach(async () => {
  await outbound.sql`truncate profiles`;
  await outbound.gql(upsertProfilesDoc, {
    p: Object.entries(seed).map(([customerId, attributes]) => ({ customerId, attributes })),
  });
});

const createSegmentDoc = `mutation($input: CreateSegmentInput!) {
  createSegment(input: $input) { id name rule isStatic memberCount refreshedAt }
}`;

type SegmentView = {
  id: string;
  name: string;
  rule: unknown;
  isStatic: boolean;
  memberCount: number;
  refreshedAt: string | null;
};

async function createSegment(rule: unknown, name = 'Segment', token?: string): Promise<SegmentView> {
  return (
    await outbound.gql<{ createSegment: SegmentView }>(createSegmentDoc, { input: { name, rule } }, token)
  ).createSegment;
}

/** The members of the segment's current generation, i.e. what the next run exports. */
async function members(segmentId: string): Promise<string[]> {
  const rows = await outbound.sql<{ customer_id: string }[]>`
    select m.customer_id from segment_members m join segments s on s.id = m.segment_id and s.generation = m.generation
    where s.id = ${segmentId} order by m.customer_id`;
  return rows.map((r) => r.customer_id);
}

async function counts() {
  const [row] = await outbound.sql`
    select (select count(*)::int from segments) as segments, (select count(*)::int from segment_members) as members,
      (select count(*)::int from audit_events) as audit, (select count(*)::int from profiles) as profiles`;
  return row;
}

const cond = (attribute: string, op: string, value?: unknown) =>
  value === undefined ? { attribute, op } : { attribute, op, value };

describe('createSegment materializes exactly the matching profiles', () => {
  test.each([
    ['EQ', { all: [cond('Country', 'EQ', 'HU')] }, ['a1']],
    ['NEQ', { all: [cond('Country', 'NEQ', 'HU')] }, except('a1')],
    ['IN', { all: [cond('Country', 'IN', ['HU', 'DE'])] }, ['a1', 'a2']],
    ['CONTAINS on an array, any case', { all: [cond('Tags', 'CONTAINS', 'VIP')] }, ['a1']],
    ['CONTAINS on a string', { all: [cond('Name', 'CONTAINS', "'")] }, ['a4', 'a6']],
    ['GT on numbers and numeric strings', { all: [cond('Age', 'GT', 29)] }, ['a1', 'a3', 'a4']],
    ['GTE', { all: [cond('Age', 'GTE', 30)] }, ['a1', 'a3', 'a4']],
    ['LT', { all: [cond('Age', 'LT', 30)] }, ['a2']],
    ['LTE', { all: [cond('Age', 'LTE', 30)] }, ['a1', 'a2', 'a3']],
    ['LT on ISO dates', { all: [cond('Signup', 'LT', '2024-01-01')] }, ['a2']],
    ['EXISTS', { all: [cond('Vip', 'EXISTS')] }, ['a1', 'a2']],
    ['NOT_EXISTS', { all: [cond('Age', 'NOT_EXISTS')] }, ['a5', 'a6', 'a7']],
    ['a bare condition', cond('Vip', 'EQ', true), ['a1']],
    [
      'all of any',
      { all: [{ any: [cond('Country', 'EQ', 'HU'), cond('Country', 'EQ', 'DE')] }, cond('Age', 'LT', 30)] },
      ['a2'],
    ],
    [
      'any of all',
      { any: [{ all: [cond('Vip', 'EXISTS'), cond('Age', 'GT', 26)] }, cond('Name', 'EQ', "O'Brien")] },
      ['a1', 'a4'],
    ],
    [
      'three levels',
      {
        all: [
          {
            any: [
              { all: [cond('Age', 'GTE', 30), cond('Country', 'NEQ', 'US')] },
              cond('Tags', 'CONTAINS', 'beta'),
            ],
          },
          cond('Vip', 'NEQ', false),
        ],
      },
      ['a1', 'a3'],
    ],
    ['a static list (unknown ids are left out)', { customerIds: ['a4', 'a2', 'nobody'] }, ['a2', 'a4']],
  ])('%s', async (_name, rule, expected) => {
    const segment = await createSegment(rule, `Rule ${_name}`);
    expect(await members(segment.id)).toEqual(expected);
    expect(segment).toMatchObject({ memberCount: expected.length, rule, isStatic: 'customerIds' in rule });
    expect(segment.refreshedAt).not.toBeNull();
  });
});

describe('a rule is data, never SQL', () => {
  test('an injection attempt in a value matches only the profile holding that literal text', async () => {
    const segment = await createSegment({ all: [cond('Name', 'EQ', INJECTION)] });
    expect(await members(segment.id)).toEqual(['a6']);
    expect((await counts())?.profiles).toBe(all.length);
  });

  test('an injection attempt in an attribute name is just an attribute name', async () => {
    const segment = await createSegment({
      any: [cond(INJECTION_KEY, 'EXISTS'), cond('Name', 'IN', [INJECTION, "' or '1'='1"])],
    });
    expect(await members(segment.id)).toEqual(['a6', 'a7']);
    const [table] = await outbound.sql`select to_regclass('public.profiles') as oid`;
    expect(table?.oid).toBe('profiles');
    expect((await counts())?.profiles).toBe(all.length);
  });

  test('LIKE wildcards in CONTAINS are literal', async () => {
    const segment = await createSegment({ all: [cond('Name', 'CONTAINS', '%')] });
    expect(await members(segment.id)).toEqual([]);
  });
});

describe('createSegment refuses a bad rule with BAD_USER_INPUT naming the bad node, and writes nothing', () => {
  test.each([
    ['an empty group', { all: [] }, 'rule.all'],
    ['an unknown op', { all: [cond('Country', 'LIKE', 'HU')] }, 'rule.all[0].op'],
    [
      'a bad value deep inside',
      { any: [cond('A', 'EQ', 1), { all: [cond('B', 'IN', 'not-a-list')] }] },
      'rule.any[1].all[0].value',
    ],
    ['an empty attribute name', cond('', 'EQ', 'x'), 'rule.attribute'],
    ['a missing attribute', { all: [{ op: 'EQ', value: 'x' }] }, 'rule.all[0].attribute'],
    ['a value on EXISTS', { all: [cond('A', 'EXISTS', 1)] }, 'rule.all[0].value'],
    ['half of a surrogate pair in a value', { all: [cond('A', 'EQ', 'x\udc00')] }, 'rule.all[0].value'],
    ['a null value on EQ', { all: [cond('A', 'EQ', null)] }, 'rule.all[0].value'],
    ['an unknown key', { all: [{ attribute: 'A', op: 'EQ', value: 'x', extra: 1 }] }, 'rule.all[0].extra'],
    ['a static list inside a group', { all: [{ customerIds: ['a1'] }] }, 'rule.all[0].customerIds'],
    ['an empty static list', { customerIds: [] }, 'rule.customerIds'],
    ['a non-string customer id', { customerIds: ['a1', 7] }, 'rule.customerIds[1]'],
    ['a rule as text', "Country = 'HU'", 'rule'],
    ['an array', [cond('A', 'EQ', 'x')], 'rule'],
  ])('%s', async (_name, rule, field) => {
    const before = await counts();
    const result = await outbound.graphql(createSegmentDoc, { input: { name: 'Bad', rule } });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0]?.message).toContain(field);
    expect(await counts()).toEqual(before);
  });

  test.each([
    ['empty', '  '],
    ['too long', 'x'.repeat(101)],
  ])('a name that is %s', async (_name, name) => {
    const before = await counts();
    const result = await outbound.graphql(createSegmentDoc, { input: { name, rule: cond('A', 'EXISTS') } });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(await counts()).toEqual(before);
  });
});

describe('segments, segment and refreshSegment', () => {
  test('refreshSegment picks up profile changes and records the count and time', async () => {
    const segment = await createSegment({ all: [cond('Country', 'EQ', 'DE')] }, 'Germany');
    expect(await members(segment.id)).toEqual(['a2']);
    await outbound.gql(upsertProfilesDoc, {
      p: [
        { customerId: 'a8', attributes: { Country: 'DE' } },
        { customerId: 'a2', attributes: { ...seed.a2, Country: 'AT' } },
        { customerId: 'a9', attributes: { Country: 'DE' } },
      ],
    });
    // Saved membership does not move by itself: runs export what the last refresh materialized.
    expect(await members(segment.id)).toEqual(['a2']);

    const { refreshSegment } = await outbound.gql<{ refreshSegment: SegmentView }>(
      `mutation($id: ID!) { refreshSegment(id: $id) { id memberCount refreshedAt } }`,
      { id: segment.id },
    );
    expect(refreshSegment.memberCount).toBe(2);
    expect(new Date(refreshSegment.refreshedAt as string).getTime()).toBeGreaterThan(
      new Date(segment.refreshedAt as string).getTime(),
    );
    expect(await members(segment.id)).toEqual(['a8', 'a9']);
    // No run pins the old generation, so it is gone.
    const generations =
      await outbound.sql`select distinct generation from segment_members where segment_id = ${segment.id}`;
    expect(generations).toHaveLength(1);

    const { segment: read } = await outbound.gql(
      `query($id: ID!) { segment(id: $id) { name memberCount isStatic } }`,
      {
        id: segment.id,
      },
    );
    expect(read).toEqual({ name: 'Germany', memberCount: 2, isStatic: false });
    const { segments } = await outbound.gql<{ segments: { nodes: Array<{ id: string }> } }>(
      '{ segments { nodes { id } } }',
      {},
      viewerToken,
    );
    expect(segments.nodes[0]?.id).toBe(segment.id);
  });

  test.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['a malformed id', "1' or '1'='1"],
  ])('segment and refreshSegment answer NOT_FOUND for %s', async (_name, id) => {
    const read = await outbound.graphql(`query($id: ID!) { segment(id: $id) { id } }`, { id });
    expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const refresh = await outbound.graphql(`mutation($id: ID!) { refreshSegment(id: $id) { id } }`, { id });
    expect(refresh.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  test('viewers may read segments but not create or refresh them; contributors may', async () => {
    const before = await counts();
    const denied = await outbound.graphql(
      createSegmentDoc,
      { input: { name: 'Nope', rule: cond('A', 'EXISTS') } },
      viewerToken,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await outbound.graphql('{ segments { nodes { id } } }', {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await counts()).toEqual(before);

    const created = await createSegment(cond('Vip', 'EXISTS'), 'By a contributor', contributorToken);
    expect(created.memberCount).toBe(2);
    const refresh = await outbound.graphql(
      `mutation($id: ID!) { refreshSegment(id: $id) { id } }`,
      { id: created.id },
      viewerToken,
    );
    expect(refresh.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [audit] = await outbound.sql`
      select a.action, u.email from audit_events a join users u on u.id = a.actor_id where a.subject_id = ${created.id}`;
    expect(audit).toEqual({ action: 'segment.created', email: 'contributor@outbound.test' });
  });
});

describe('updateSegment, deleteSegment and previewSegment', () => {
  const updateDoc = `mutation($id: ID!, $input: UpdateSegmentInput!) {
    updateSegment(id: $id, input: $input) { id name rule memberCount }
  }`;
  const deleteDoc = 'mutation($id: ID!) { deleteSegment(id: $id) }';
  const auditOf = async (id: string) =>
    (
      await outbound.sql<{ action: string; details: unknown }[]>`
        select action, details from audit_events where subject_id = ${id} order by created_at, id`
    ).map((a) => a.action);

  test('a new rule is materialized at once; a rename keeps the members; both are audited', async () => {
    const segment = await createSegment({ all: [cond('Country', 'EQ', 'US')] }, 'Americans');
    expect(await members(segment.id)).toEqual(['a4']);
    const { updateSegment: renamed } = await outbound.gql(updateDoc, {
      id: segment.id,
      input: { name: '  Americas  ' },
    });
    expect(renamed).toMatchObject({ name: 'Americas', memberCount: 1 });
    const { updateSegment: widened } = await outbound.gql(
      updateDoc,
      { id: segment.id, input: { rule: { any: [cond('Country', 'EQ', 'US'), cond('Vip', 'EXISTS')] } } },
      contributorToken,
    );
    expect(widened).toMatchObject({ name: 'Americas', memberCount: 3 });
    expect(await members(segment.id)).toEqual(['a1', 'a2', 'a4']);
    expect(await auditOf(segment.id)).toEqual(['segment.created', 'segment.updated', 'segment.updated']);
  });

  test('a bad rule or name is refused naming the field and changes nothing; viewers may not change', async () => {
    const segment = await createSegment(cond('Vip', 'EXISTS'), 'Vips');
    const badRule = await outbound.graphql(updateDoc, {
      id: segment.id,
      input: { rule: { all: [{ attribute: 'Age', op: 'BETWEEN', value: 1 }] } },
    });
    expect(badRule.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(String(badRule.errors?.[0]?.extensions?.field)).toMatch(/^rule\.all\[0\]/);
    const longName = await outbound.graphql(updateDoc, { id: segment.id, input: { name: 'x'.repeat(101) } });
    expect(longName.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const byViewer = await outbound.graphql(
      updateDoc,
      { id: segment.id, input: { name: 'No' } },
      viewerToken,
    );
    expect(byViewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const deleteByViewer = await outbound.graphql(deleteDoc, { id: segment.id }, viewerToken);
    expect(deleteByViewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { segment: read } = await outbound.gql(
      `query($id: ID!) { segment(id: $id) { name memberCount } }`,
      {
        id: segment.id,
      },
    );
    expect(read).toEqual({ name: 'Vips', memberCount: 2 });
    expect(await auditOf(segment.id)).toEqual(['segment.created']);
  });

  test('a segment no export uses is deleted with its members, audited; unknown ids are NOT_FOUND', async () => {
    const segment = await createSegment(cond('Country', 'EXISTS'), 'Doomed', contributorToken);
    expect((await members(segment.id)).length).toBeGreaterThan(0);
    const { deleteSegment } = await outbound.gql(deleteDoc, { id: segment.id }, contributorToken);
    expect(deleteSegment).toBe(segment.id);
    expect(await members(segment.id)).toEqual([]);
    const [left] = await outbound.sql`select count(*)::int as n from segments where id = ${segment.id}`;
    expect(left?.n).toBe(0);
    expect(await auditOf(segment.id)).toEqual(['segment.created', 'segment.deleted']);
    const again = await outbound.graphql(deleteDoc, { id: segment.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const update = await outbound.graphql(updateDoc, { id: segment.id, input: { name: 'Back' } });
    expect(update.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  test('previewSegment counts a rule without saving anything; a bad rule names its node', async () => {
    const before = await counts();
    const { previewSegment } = await outbound.gql(
      'query($rule: JSON!) { previewSegment(rule: $rule) { memberCount } }',
      { rule: { any: [cond('Name', 'EQ', "O'Brien"), cond('Vip', 'EQ', true)] } },
      viewerToken,
    );
    expect(previewSegment.memberCount).toBe(2);
    const bad = await outbound.graphql(
      'query($rule: JSON!) { previewSegment(rule: $rule) { memberCount } }',
      {
        rule: { all: [] },
      },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await counts()).toEqual(before);
  });
});

describe('deleteSegment while exports use the segment', () => {
  test('is refused with CONFLICT naming the exports, until they no longer use it', async () => {
    // An export maps the usual attributes: they must exist.
    await outbound.gql(upsertProfilesDoc, {
      p: [
        {
          customerId: 'e1',
          attributes: { Email: 'e1@example.com', FirstName: 'E', LastName: 'One', Phone: '1' },
        },
      ],
    });
    const { segmentId, exportId } = await setUpExport(outbound, fake, {
      apiKey: 'segments-test-key',
      name: 'Weekly newsletter',
      customerIds: ['a1', 'a2'],
    });
    const refused = await outbound.graphql('mutation($id: ID!) { deleteSegment(id: $id) }', {
      id: segmentId,
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', exportIds: [exportId] });
    expect(refused.errors?.[0]?.message).toContain('“Weekly newsletter”');
    const [kept] = await outbound.sql`select count(*)::int as n from segments where id = ${segmentId}`;
    expect(kept?.n).toBe(1);
    await outbound.gql('mutation($id: ID!) { deleteExport(id: $id) }', { id: exportId });
    const { deleteSegment } = await outbound.gql('mutation($id: ID!) { deleteSegment(id: $id) }', {
      id: segmentId,
    });
    expect(deleteSegment).toBe(segmentId);
  });
});
