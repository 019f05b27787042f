import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { maxRejectRowsPerRequest } from '../../api/export-run.ts';
import { createApi, maxRequestBytes, queryLimits } from '../../api/yoga.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createConnectionDoc, expectNothingWritten, tokenFor } from './helpers.ts';

let outbound: Outbound;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
});

afterAll(async () => {
  await outbound?.close();
});

const post = (body: BodyInit, headers: Record<string, string> = {}, api = outbound.api) =>
  api.fetch(
    new Request('http://outbound.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${outbound.adminToken}`,
        ...headers,
      },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit),
  );

const messages = (result: { errors?: Array<{ message: string }> }) =>
  (result.errors ?? []).map((e) => e.message).join(' | ');

describe('query limits', () => {
  const nested = (levels: number) => `${'... on Query { '.repeat(levels)}viewer { id }${' }'.repeat(levels)}`;

  test(`depth over ${queryLimits.depth} is refused before anything runs`, async () => {
    expect((await outbound.graphql(`{ ${nested(queryLimits.depth - 2)} }`)).errors).toBeUndefined();
    const result = await outbound.graphql(`{ ${nested(queryLimits.depth)} }`);
    expect(messages(result)).toMatch(`Query depth limit of ${queryLimits.depth} exceeded`);
    expect(result.data).toBeUndefined();
  });

  test(`cost over ${queryLimits.cost} is refused`, async () => {
    const result = await outbound.graphql(
      '{ exports { runs(first: 100) { edges { node { id rejects(first: 1000) { customerId reason } } } } } }',
    );
    expect(messages(result)).toMatch(`Query Cost limit of ${queryLimits.cost} exceeded`);
  });

  test('cost counts first/last given as variables, fragments and argument defaults (a viewer cannot page around it)', async () => {
    const viewer = await tokenFor(outbound, 'VIEWER', 'cost-viewer@outbound.test');
    const rejectsQuery = `query($runs: Int, $rejects: Int) {
      exports { runs(first: $runs) { edges { node { id ...R } } } }
    }
    fragment R on ExportRun { rejects(first: $rejects) { customerId reason } }`;
    const refused = await outbound.graphql(rejectsQuery, { runs: 100, rejects: 1000 }, viewer);
    expect(messages(refused)).toMatch(`Query Cost limit of ${queryLimits.cost} exceeded`);
    expect(refused.data).toBeUndefined();
    // The same document with small pages runs (the refusal is not cached per document).
    expect(await outbound.graphql(rejectsQuery, { runs: 2, rejects: 5 }, viewer)).toEqual({
      data: { exports: [] },
    });
    // Omitted, `rejects` fetches its default 100 per run: counted as 100.
    const byDefault = await outbound.graphql(
      'query($runs: Int) { exports { runs(first: $runs) { edges { node { rejects { customerId reason } } } } } }',
      { runs: 100 },
      viewer,
    );
    expect(messages(byDefault)).toMatch(`Query Cost limit of ${queryLimits.cost} exceeded`);
  });

  test(`one request reads at most ${maxRejectRowsPerRequest} reject rows, however many exports it lists`, async () => {
    const [admin] = await outbound.sql<
      { id: string }[]
    >`select id from users where email = 'admin@outbound.test'`;
    const [connection] = await outbound.sql<{ id: string }[]>`
      insert into connections (display_name, api_host, api_key_tail, privacy_accepted_by, privacy_accepted_at, export_user_id)
      values ('rows', 'acme.api-us1.com', '1234', ${admin?.id ?? ''}, now(), ${admin?.id ?? ''}) returning id`;
    await outbound.sql`
      with e as (
        insert into exports (name, connection_id, list_id, segment_ids, mapping, created_by)
        select 'rows ' || i, ${connection?.id ?? ''}, '7', '{}', '{"email":"Email","fields":[]}', ${admin?.id ?? ''}
        from generate_series(1, 40) i returning id),
      r as (
        insert into export_runs (export_id, trigger, status, workflow_id)
        select id, 'ON_DEMAND', 'SUCCEEDED', 'export-' || id from e returning id)
      insert into run_rejects (run_id, customer_id, reason) select id, 'c1', 'INVALID_EMAIL' from r`;
    const viewer = await tokenFor(outbound, 'VIEWER', 'rows-viewer@outbound.test');
    const rejects = (first: number) =>
      outbound.graphql(
        `{ exports { runs(first: 1) { edges { node { rejects(first: ${first}) { customerId } } } } } }`,
        {},
        viewer,
      );
    const within = await rejects(200); // 40 × 200 = 8,000 rows asked for
    expect(within.errors).toBeUndefined();
    expect(within.data?.exports).toHaveLength(40);
    const over = await rejects(260); // 40 × 260 = 10,400: each export's cost is under the limit
    expect(over.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    expect(over.errors?.[0]?.message).toMatch(`at most ${maxRejectRowsPerRequest} reject rows`);
    expect(over.data).toBeNull();
  });

  test(`more than ${queryLimits.aliases} aliases are refused`, async () => {
    const aliases = Array.from({ length: queryLimits.aliases + 1 }, (_, i) => `a${i}: viewer { id }`).join(
      ' ',
    );
    expect(messages(await outbound.graphql(`{ ${aliases} }`))).toMatch(/aliases/i);
  });

  test(`more than ${queryLimits.tokens} tokens are refused`, async () => {
    const fields = Array.from({ length: queryLimits.tokens }, () => 'id').join(' ');
    expect(messages(await outbound.graphql(`{ viewer { ${fields} } }`))).toMatch(/token/i);
  });

  test("GraphiQL's introspection passes; a cyclic introspection query does not", async () => {
    const full = await outbound.graphql(
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
    );
    expect(full.errors).toBeUndefined();
    expect(full.data?.__schema.types.length).toBeGreaterThan(20);
    const cyclic = await outbound.graphql(
      '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
    );
    expect(messages(cyclic)).toMatch(/introspection depth/i);
  });
});

describe('request body limit', () => {
  const bigQuery = JSON.stringify({ query: `{ viewer { id } } #${'x'.repeat(maxRequestBytes)}` });

  test('a body over 2 MB with Content-Length gets 413', async () => {
    const response = await post(bigQuery, { 'content-length': String(bigQuery.length) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }],
    });
  });

  test('a streamed body over 2 MB without Content-Length gets 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > maxRequestBytes + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await post(stream);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(maxRequestBytes + 3 * chunk.length);
  });

  test('a body under the limit is served', async () => {
    const body = JSON.stringify({ query: `{ viewer { email } } #${'x'.repeat(1024 * 1024)}` });
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { viewer: { email: 'admin@outbound.test' } } });
  });
});

describe('request parse errors', () => {
  const apiKey = 'ac-key-0123456789abcdef';

  test('a body that is not JSON is refused with 400 without quoting it', async () => {
    // A mistyped createConnection: the key, then a missing quote.
    const body = `{"query":"${createConnectionDoc.replace(/\n/g, ' ')}","variables":{"input":{"apiKey":"${apiKey}, "displayName":"X"}}}`;
    const response = await post(body);
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'The request is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(text).not.toContain(apiKey.slice(0, 12));
  });

  test('GET variables that are not JSON are refused with 400 without quoting them', async () => {
    const variables = encodeURIComponent(`{"input":{"apiKey":"${apiKey}}`);
    const response = await outbound.api.fetch(
      new Request(`http://outbound.test/graphql?query=%7Bviewer%7Bid%7D%7D&variables=${variables}`, {
        headers: { accept: 'application/json', authorization: `Bearer ${outbound.adminToken}` },
      }),
    );
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).not.toContain(apiKey.slice(0, 12));
  });
});

describe('unexpected errors', () => {
  test('are masked, logged without the data they quote, and write nothing, even with NODE_ENV=development', async () => {
    const secretDetail = 'socket to 10.1.2.3 exploded in module X';
    const api = createApi({
      ...outbound.deps,
      connect: async () => {
        throw new Error(`${secretDetail} for "jane@example.com"`);
      },
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const previousEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      const response = await expectNothingWritten(outbound, () =>
        post(
          JSON.stringify({
            query: createConnectionDoc,
            variables: {
              input: {
                displayName: 'X',
                apiHost: 'acme.api-us1.com',
                apiKey: 'some-key-123',
                acceptDataPrivacy: true,
              },
            },
          }),
          {},
          api,
        ),
      );
      const text = await response.text();
      expect(JSON.parse(text).errors).toEqual([
        expect.objectContaining({
          message: 'Unexpected error.',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        }),
      ]);
      expect(text).not.toContain('exploded');
      expect(text).not.toContain('stack');
      // Logged for the operator, without the data it quotes.
      expect(logged.mock.calls.flat().map(String).join('\n')).toContain(secretDetail);
      expect(logged.mock.calls.flat().map(String).join('\n')).not.toContain('jane');
    } finally {
      process.env.NODE_ENV = previousEnv;
      logged.mockRestore();
    }
  });
});
