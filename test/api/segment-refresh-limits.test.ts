import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApi } from '../../api/yoga.ts';
import { SEGMENT_RULE_LIMITS } from '../../core/segments/segment-rule.ts';
import { type GraphQLResponse, graphqlHelpers, type Outbound, startOutbound } from '../support/outbound.ts';
import { lockRows } from '../support/row-locks.ts';
import { expectRejected, tokenFor } from './helpers.ts';

/** The size of the report's database: 6,000 profiles; every 50th (i % 50 = 7) is tagged "t7". */
const profileCount = 6_000;
const taggedT7 = profileCount / 50;

let outbound: Outbound;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  await outbound.sql`
    insert into profiles (customer_id, attributes)
    select 'c' || lpad(i::text, 5, '0'),
      jsonb_build_object('Name', 'Name ' || i, 'Tags', jsonb_build_array('t' || (i % 50), 'all'))
    from generate_series(1, ${profileCount}) i`;
});

afterAll(async () => {
  await outbound?.close();
});

const createSegmentDoc = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id memberCount } }`;
const refreshSegmentDoc = `mutation($id: ID!) { refreshSegment(id: $id) { id memberCount } }`;

/** `count` CONTAINS conditions that match nobody, and one more that matches the profiles tagged t7. */
const containsRule = (count: number) => ({
  any: [
    ...Array.from({ length: count - 1 }, (_, i) => ({
      attribute: i % 2 ? 'Name' : 'Tags',
      op: 'CONTAINS',
      value: `absent ${i}`,
    })),
    { attribute: 'Tags', op: 'CONTAINS', value: 't7' },
  ],
});

async function createSegment(rule: unknown, name = 'Segment'): Promise<{ id: string; memberCount: number }> {
  return (await outbound.gql(createSegmentDoc, { input: { name, rule } })).createSegment;
}

async function segmentState(id: string) {
  const [row] =
    await outbound.sql`select generation, member_count as "memberCount" from segments where id = ${id}`;
  return row;
}

/** Backends of this database waiting for a lock: refreshes queued behind the held rows. */
async function lockWaiters(): Promise<number> {
  const [row] = await outbound.sql<[{ n: number }]>`
    select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
  return row.n;
}

/** Waits until refreshes are waiting for the held rows and no more join them (5 polls alike). */
async function untilRefreshesWait(): Promise<number> {
  let previous = -1;
  let same = 0;
  for (;;) {
    const now = await lockWaiters();
    same = now > 0 && now === previous ? same + 1 : 0;
    if (same >= 5) return now;
    previous = now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the rule-complexity budget', () => {
  test('a rule of 1,000 CONTAINS conditions is refused with BAD_USER_INPUT naming the first one over the budget', async () => {
    const [before] = await outbound.sql`select count(*)::int as n from segments`;
    const result = await outbound.graphql(createSegmentDoc, {
      input: { name: 'Too long', rule: containsRule(1_000) },
    });
    expectRejected(result, {
      code: 'BAD_USER_INPUT',
      field: `rule.any[${SEGMENT_RULE_LIMITS.conditions}]`,
      message:
        /at most 100 conditions.*every refresh tests each of them against every profile.*split the rule/,
    });
    expect(await outbound.sql`select count(*)::int as n from segments`).toEqual([before]);
  });

  test('a rule at the budget is accepted and refreshes over 6,000 profiles', async () => {
    const segment = await createSegment(containsRule(SEGMENT_RULE_LIMITS.conditions), 'At the budget');
    expect(segment.memberCount).toBe(taggedT7);
    const { refreshSegment } = await outbound.gql(refreshSegmentDoc, { id: segment.id });
    expect(refreshSegment).toEqual({ id: segment.id, memberCount: taggedT7 });
  });
});

describe('refreshSegment', () => {
  test('a refresh of a segment whose refresh is running is answered CONFLICT at once, not queued', async () => {
    const segment = await createSegment(containsRule(2), 'Busy');
    const hold = await lockRows(outbound.sql, 'segments', [segment.id]);
    let first: Promise<GraphQLResponse>;
    let second: Promise<GraphQLResponse>;
    try {
      first = outbound.graphql(refreshSegmentDoc, { id: segment.id });
      second = outbound.graphql(refreshSegmentDoc, { id: segment.id });
      // One of them has the segment and waits for the held row; the other is answered meanwhile.
      const answeredFirst = await Promise.race([first, second]);
      expectRejected(answeredFirst, { code: 'CONFLICT', message: /already being refreshed/ });
    } finally {
      await hold.release();
    }
    const results = await Promise.all([first, second]);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(1);
    expect(results.map((r) => r.data?.refreshSegment).filter(Boolean)).toEqual([
      { id: segment.id, memberCount: taggedT7 },
    ]);
  });

  test('while refreshes wait on their segments, an admin query is answered: they do not hold the API pool', async () => {
    // More refreshes than the API's pool has connections (10), each of a segment of its own.
    const held = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createSegment(containsRule(2), `Held ${i}`)),
    );
    const hold = await lockRows(
      outbound.sql,
      'segments',
      held.map((s) => s.id),
    );
    let refreshes: Array<Promise<GraphQLResponse>> = [];
    let settled = 0;
    try {
      refreshes = held.map((s) => outbound.graphql(refreshSegmentDoc, { id: s.id }));
      for (const refresh of refreshes) void refresh.then(() => settled++);
      await untilRefreshesWait();
      // Before the fix this query queued behind the refreshes until the rows were released.
      const answer = await outbound.gql<{ segments: { nodes: Array<{ id: string }> } }>(
        '{ segments { nodes { id } } }',
      );
      expect(answer.segments.nodes.map((s) => s.id)).toEqual(expect.arrayContaining(held.map((s) => s.id)));
      expect(settled).toBe(0);
      expect(await lockWaiters()).toBeGreaterThan(0);
    } finally {
      await hold.release();
    }
    const results = await Promise.all(refreshes);
    expect(results.map((r) => r.errors ?? r.data?.refreshSegment.memberCount)).toEqual(
      Array(12).fill(taggedT7),
    );
  });

  test('a refresh past its time limit is stopped with TIMEOUT and the membership is left as it was', async () => {
    const segment = await createSegment(containsRule(2), 'Slow');
    const before = await segmentState(segment.id);
    const limited = graphqlHelpers(
      createApi({ ...outbound.deps, segmentRefreshTimeLimitMs: 1_000 }),
      outbound.adminToken,
    );
    const hold = await lockRows(outbound.sql, 'segments', [segment.id]);
    try {
      const result = await limited.graphql(refreshSegmentDoc, { id: segment.id });
      expectRejected(result, { code: 'TIMEOUT', message: /longer than the limit of 1 s.*as they were/ });
    } finally {
      await hold.release();
    }
    expect(await segmentState(segment.id)).toEqual(before);
    // Nothing is left holding the segment: the next refresh runs.
    const { refreshSegment } = await outbound.gql(refreshSegmentDoc, { id: segment.id });
    expect(refreshSegment.memberCount).toBe(taggedT7);
  });
});

describe('fair shares of the refresh connections (issue 30, row 7)', () => {
  test('users refresh one segment at a time each, and an admin’s createSegment never waits behind theirs', async () => {
    const first = await createSegment(containsRule(2), 'Contributor’s 1');
    const second = await createSegment(containsRule(2), 'Contributor’s 2');
    const third = await createSegment(containsRule(2), 'Contributor’s 3');
    const contributors = [
      await tokenFor(outbound, 'CONTRIBUTOR', 'fair-1@outbound.test'),
      await tokenFor(outbound, 'CONTRIBUTOR', 'fair-2@outbound.test'),
    ];
    const hold = await lockRows(outbound.sql, 'segments', [first.id, second.id]);
    let refreshes: Array<Promise<GraphQLResponse>> = [];
    let settled = 0;
    try {
      // Two contributors' refreshes hold every connection the non-admins' refreshes have.
      refreshes = [first, second].map((segment, i) =>
        outbound.graphql(refreshSegmentDoc, { id: segment.id }, contributors[i]),
      );
      for (const refresh of refreshes) void refresh.then(() => settled++);
      expect(await untilRefreshesWait()).toBe(2);

      const again = await outbound.graphql(refreshSegmentDoc, { id: third.id }, contributors[0]);
      expectRejected(again, {
        code: 'TOO_MANY_REQUESTS',
        message: /already running; one user may run 1 at a time/,
      });

      const admins = await createSegment({ customerIds: ['c00001', 'c00002', 'c00003'] }, 'Admin’s three');
      expect(admins.memberCount).toBe(3);
      expect(settled).toBe(0);
    } finally {
      await hold.release();
    }
    const results = await Promise.all(refreshes);
    expect(results.map((r) => r.errors ?? r.data?.refreshSegment.memberCount)).toEqual([taggedT7, taggedT7]);
    // The slot is given back: the contributor refreshes again.
    const { refreshSegment } = await outbound.gql(refreshSegmentDoc, { id: third.id }, contributors[0]);
    expect(refreshSegment.memberCount).toBe(taggedT7);
  });
});
