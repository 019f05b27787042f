import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { expectRejected } from './helpers.ts';

let outbound: Outbound;
let adminId: string;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  const [admin] = await outbound.sql<[{ id: string }]>`select id from users where role = 'ADMIN' limit 1`;
  adminId = admin.id;
});

afterAll(async () => {
  await outbound?.close();
});

// Each test counts what it inserts: it starts without segments, connections and what hangs off them.
beforeEach(async () => {
  await outbound.sql`truncate segments, connections cascade`;
});

type Page = {
  totalCount: number;
  edges: Array<{ cursor: string; node: { key: string } }>;
  nodes: Array<{ key: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
};

/**
 * Walks a connection page by page with first/after, checking each page's shape; `meanwhile` runs once,
 * after the first page. `field` is the connection field with its arguments, `key` the node's key field.
 */
async function walk(
  list: { field: (args: string) => string; key: string; pick: (data: Record<string, any>) => Page },
  first: number,
  meanwhile?: () => Promise<unknown>,
) {
  const document = `query($after: String) { ${list.field(`first: ${first}, after: $after`)} {
    totalCount edges { cursor node { key: ${list.key} } } nodes { key: ${list.key} }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } ${'}'.repeat(list.field('').split('{').length - 1)} }`;
  const pages: string[][] = [];
  let after: string | null = null;
  let totalCount = 0;
  for (;;) {
    const page = list.pick(await outbound.gql(document, { after }));
    const keys = page.nodes.map((node) => node.key);
    expect(page.edges.map((edge) => edge.node.key)).toEqual(keys);
    expect(keys.length).toBeLessThanOrEqual(first);
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
    pages.push(keys);
    totalCount = page.totalCount;
    if (!page.pageInfo.hasNextPage) return { pages, totalCount };
    after = page.pageInfo.endCursor;
    if (pages.length === 1) await meanwhile?.();
  }
}

const root = (name: string) => ({
  field: (args: string) => `${name}${args ? `(${args})` : ''}`,
  key: 'id',
  pick: (data: Record<string, any>) => data[name] as Page,
});

async function insertSegments(count: number, createdAt: string) {
  const rows = await outbound.sql<Array<{ id: string }>>`
    insert into segments (name, rule, created_at)
    select 'Segment ' || n, '{"customerIds":["p1"]}'::jsonb, ${createdAt}::timestamptz
    from generate_series(1, ${count}) n returning id`;
  return rows.map((row) => row.id);
}

async function insertConnection(name: string, createdAt: string, deleted = false): Promise<string> {
  const [row] = await outbound.sql<[{ id: string }]>`
    insert into connections (display_name, api_host, api_key_tail, privacy_accepted_by, privacy_accepted_at,
      export_user_id, created_at, deleted_at)
    values (${name}, 'acme.api-us1.com', 'abcd', ${adminId}, now(), ${adminId}, ${createdAt}::timestamptz,
      case when ${deleted} then now() end)
    returning id`;
  return row.id;
}

async function insertExport(name: string, connectionId: string, createdAt: string, deleted = false) {
  const [row] = await outbound.sql<[{ id: string }]>`
    insert into exports (name, connection_id, list_id, segment_ids, mapping, created_by, created_at, deleted_at)
    values (${name}, ${connectionId}, '7', '{}', ${JSON.stringify({ email: 'Email', fields: [] })}::jsonb,
      ${adminId}, ${createdAt}::timestamptz, case when ${deleted} then now() end)
    returning id`;
  return row.id;
}

describe('lists that grow are cursor connections', () => {
  test('segments: newest first through three pages, ties broken by id, no duplicates or gaps although rows are added meanwhile', async () => {
    // Three share one timestamp, two are microseconds apart: the cursor must not lose either.
    await insertSegments(3, '2026-01-01T00:00:00.000100Z');
    await insertSegments(1, '2026-01-01T00:00:00.000200Z');
    await insertSegments(1, '2026-01-01T00:00:00.000300Z');
    await insertSegments(2, '2026-01-02T00:00:00Z');
    const expected = (
      await outbound.sql<Array<{ id: string }>>`select id from segments order by created_at desc, id desc`
    ).map((row) => row.id);
    expect(expected.length).toBeGreaterThanOrEqual(7);

    let added: string[] = [];
    const { pages, totalCount } = await walk(root('segments'), 3, async () => {
      added = await insertSegments(2, '2026-06-01T00:00:00Z');
    });
    expect(pages.map((page) => page.length)).toEqual(
      expected
        .map((_, i) => i)
        .filter((i) => i % 3 === 0)
        .map((i) => Math.min(3, expected.length - i)),
    );
    expect(pages.flat()).toEqual(expected);
    expect(totalCount).toBe(expected.length + added.length);

    // A fresh walk from the top sees the new ones first.
    const fresh = (await walk(root('segments'), 100)).pages.flat();
    expect(new Set(fresh.slice(0, 2))).toEqual(new Set(added));
    expect(fresh.slice(2)).toEqual(expected);
  });

  test('exports and connections: newest first, deleted ones left out, in pages of two', async () => {
    const connectionIds = [
      await insertConnection('Old', '2026-01-01T00:00:00Z'),
      await insertConnection('Deleted', '2026-01-02T00:00:00Z', true),
      await insertConnection('Middle', '2026-01-03T00:00:00Z'),
      await insertConnection('New', '2026-01-04T00:00:00Z'),
    ];
    const [first] = connectionIds as [string];
    const exportIds = [
      await insertExport('E1', first, '2026-02-01T00:00:00Z'),
      await insertExport('E2', first, '2026-02-02T00:00:00Z'),
      await insertExport('E3', first, '2026-02-02T00:00:00Z'),
      await insertExport('Deleted', first, '2026-02-03T00:00:00Z', true),
      await insertExport('E4', first, '2026-02-04T00:00:00Z'),
      await insertExport('E5', first, '2026-02-05T00:00:00Z'),
    ];
    const live = (ids: string[], table: 'exports' | 'connections') =>
      outbound.sql<Array<{ id: string }>>`
        select id from ${outbound.sql(table)} where id = any(${ids}) and deleted_at is null
        order by created_at desc, id desc`.then((rows) => rows.map((row) => row.id));

    const exportsWalk = await walk(root('exports'), 2);
    expect(exportsWalk.pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(exportsWalk.pages.flat()).toEqual(await live(exportIds, 'exports'));
    expect(exportsWalk.totalCount).toBe(5);

    const connectionsWalk = await walk(root('connections'), 2);
    expect(connectionsWalk.pages.map((page) => page.length)).toEqual([2, 1]);
    expect(connectionsWalk.pages.flat()).toEqual(await live(connectionIds, 'connections'));
    expect(connectionsWalk.totalCount).toBe(3);
  });

  test('auditEvents: newest first within a subject, in pages of two', async () => {
    const subject = 'pagination-subject';
    const ids = await outbound.sql<Array<{ id: string }>>`
      insert into audit_events (action, subject_type, subject_id)
      select 'test.event', 'Test', case when n % 2 = 0 then ${subject} else 'other' end
      from generate_series(1, 10) n returning id::text as id`;
    const ofSubject = ids.filter((_, i) => (i + 1) % 2 === 0).map((row) => row.id);
    const { pages, totalCount } = await walk(
      {
        ...root('auditEvents'),
        field: (args) => `auditEvents(subjectId: "${subject}"${args ? `, ${args}` : ''})`,
      },
      2,
    );
    expect(pages).toEqual([ofSubject.slice(3, 5).reverse(), ofSubject.slice(1, 3).reverse(), [ofSubject[0]]]);
    expect(totalCount).toBe(5);
  });

  test("a run's rejects: in customer-id order, in pages of two", async () => {
    const connectionId = await insertConnection('For rejects', '2026-03-01T00:00:00Z');
    const exportId = await insertExport('With rejects', connectionId, '2026-03-01T00:00:00Z');
    const [run] = await outbound.sql<[{ id: string }]>`
      insert into export_runs (export_id, trigger, status, workflow_id)
      values (${exportId}, 'SCHEDULED', 'SUCCEEDED', ${`export-${exportId}`}) returning id`;
    await outbound.sql`
      insert into run_rejects (run_id, customer_id, reason)
      select ${run.id}, 'c' || n, 'INVALID_EMAIL' from generate_series(1, 5) n`;
    const { pages, totalCount } = await walk(
      {
        field: (args) => `exportRun(id: "${run.id}") { rejects${args ? `(${args})` : ''}`,
        key: 'customerId',
        pick: (data) => data.exportRun.rejects,
      },
      2,
    );
    expect(pages).toEqual([['c1', 'c2'], ['c3', 'c4'], ['c5']]);
    expect(totalCount).toBe(5);
  });

  test(`pages are 20 by default; first up to 100 is served, more is refused, not clamped`, async () => {
    await insertSegments(25, '2025-01-01T00:00:00Z');
    const sizeDoc =
      'query($first: Int, $last: Int) { segments(first: $first, last: $last) { nodes { id } pageInfo { hasNextPage } } }';
    const byDefault = (await outbound.gql(sizeDoc)).segments;
    expect(byDefault.nodes).toHaveLength(20);
    expect(byDefault.pageInfo.hasNextPage).toBe(true);
    const total = (await outbound.gql('{ segments { totalCount } }')).segments.totalCount;
    expect((await outbound.gql(sizeDoc, { first: 100 })).segments.nodes).toHaveLength(Math.min(100, total));

    for (const [variables, field] of [
      [{ first: 101 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ first: 10, last: 101 }, 'last'],
    ] as const) {
      expectRejected(await outbound.graphql(sizeDoc, variables), {
        code: 'BAD_USER_INPUT',
        field,
        message: /between 0 and 100/,
      });
    }
    expectRejected(await outbound.graphql('{ exports(first: 500) { nodes { id } } }'), {
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });

  test('a cursor that is not one of the list is refused', async () => {
    const [segment] = await insertSegments(1, '2025-02-01T00:00:00Z');
    const [older] = await insertSegments(1, '2025-01-31T00:00:00Z');
    const doc = 'query($after: String) { segments(first: 5, after: $after) { nodes { id } } }';
    expect(
      (await outbound.gql(doc, { after: segment })).segments.nodes.map((node: { id: string }) => node.id),
    ).toEqual([older]);
    for (const after of ['garbage', '00000000-0000-4000-8000-000000000000']) {
      expectRejected(await outbound.graphql(doc, { after }), { code: 'BAD_USER_INPUT', field: 'after' });
    }
    expectRejected(
      await outbound.graphql('query($after: String) { auditEvents(after: $after) { nodes { id } } }', {
        after: '1; drop table users',
      }),
      { code: 'BAD_USER_INPUT', field: 'after' },
    );
  });
});
