import { getIntrospectionQuery, isEnumType } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { schema } from '../../api/schema.ts';
import { createApi, maxRequestBytes, queryLimits } from '../../api/yoga.ts';
import { createLogger } from '../../core/observability/logger.ts';
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

  test(`cost over ${queryLimits.cost} is refused, each list priced at the items it can return`, async () => {
    const costly = [
      '{ exports(first: 100) { nodes { runs(first: 100) { nodes { id rejects(first: 100) { nodes { customerId } } } } } } }',
      // Without first, each list is its default page of 20: 8,000 rejects.
      '{ exports { nodes { runs { nodes { rejects { nodes { customerId reason message } } } } } } }',
      // A variable counts at the value this request gives it.
      'query($n: Int) { exports(first: $n) { nodes { runs(first: $n) { nodes { id status } } } } }',
    ];
    for (const query of costly) {
      const result = await outbound.graphql(query, { n: 100 });
      expect(messages(result)).toMatch(`Query Cost limit of ${queryLimits.cost} exceeded`);
      expect(result.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
      expect(result.data).toBeUndefined();
    }
    const { errors } = await outbound.graphql(
      '{ exports(first: 100) { nodes { id name connection { displayName } segments { name } lastRun { status } } } }',
    );
    expect(errors).toBeUndefined();
  });

  test('cost counts first/last given as variables, fragments and argument defaults (a viewer cannot page around it)', async () => {
    const viewer = await tokenFor(outbound, 'VIEWER', 'cost-viewer@outbound.test');
    const rejectsQuery = `query($runs: Int, $rejects: Int) {
      exports(first: 2) { nodes { runs(first: $runs) { edges { node { id ...R } } } } }
    }
    fragment R on ExportRun { rejects(first: $rejects) { nodes { customerId reason } } }`;
    const refused = await outbound.graphql(rejectsQuery, { runs: 100, rejects: 100 }, viewer);
    expect(messages(refused)).toMatch(`Query Cost limit of ${queryLimits.cost} exceeded`);
    expect(refused.data).toBeUndefined();
    // The same document with small pages runs (the refusal is not cached per document).
    expect(await outbound.graphql(rejectsQuery, { runs: 2, rejects: 5 }, viewer)).toEqual({
      data: { exports: { nodes: [] } },
    });
    // Omitted, `first` is the default page of 20: counted as 20.
    const byDefault = await outbound.graphql(
      'query($runs: Int) { exports { nodes { runs(first: $runs) { nodes { rejects { nodes { customerId reason } } } } } } }',
      { runs: 100 },
      viewer,
    );
    expect(messages(byDefault)).toMatch(`Query Cost limit of ${queryLimits.cost} exceeded`);
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

describe('error codes', () => {
  test("every code a refused request carries is a value of the SDL's ErrorCode enum", async () => {
    const listed = schema.getType('ErrorCode');
    if (!isEnumType(listed)) throw new Error('no enum ErrorCode');
    const codes = new Set(listed.getValues().map((value) => value.name));
    const codeOf = async (response: Response | Promise<Response>) => {
      const body = (await (await response).json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      return body.errors?.[0]?.extensions?.code;
    };
    const get = (query: string) =>
      outbound.api.fetch(
        new Request(`http://outbound.test/graphql?query=${encodeURIComponent(query)}`, {
          headers: { accept: 'application/json', authorization: `Bearer ${outbound.adminToken}` },
        }),
      );
    const seen = {
      GRAPHQL_PARSE_FAILED: await codeOf(post(JSON.stringify({ query: '{ viewer {' }))),
      tokens: await codeOf(
        post(JSON.stringify({ query: `{ viewer { ${'id '.repeat(queryLimits.tokens)} } }` })),
      ),
      GRAPHQL_VALIDATION_FAILED: await codeOf(post(JSON.stringify({ query: '{ nothingHere }' }))),
      depth: await codeOf(
        post(JSON.stringify({ query: `{ ${'... on Query { '.repeat(12)}viewer { id }${' }'.repeat(12)} }` })),
      ),
      aliases: await codeOf(
        post(
          JSON.stringify({
            query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`,
          }),
        ),
      ),
      OPERATION_RESOLUTION_FAILURE: await codeOf(
        post(JSON.stringify({ query: 'query A { viewer { id } }', operationName: 'B' })),
      ),
      BAD_REQUEST: await codeOf(post(JSON.stringify({ variables: {} }))),
      mutationOverGet: await codeOf(get('mutation { triggerRefresh }')),
      BAD_USER_INPUT: await codeOf(
        post(JSON.stringify({ query: 'query($id: ID!) { export(id: $id) { id } }', variables: { id: [1] } })),
      ),
      missingVariable: await codeOf(
        post(JSON.stringify({ query: 'query($id: ID!) { export(id: $id) { id } }' })),
      ),
      NOT_FOUND: await codeOf(
        post(JSON.stringify({ query: '{ export(id: "00000000-0000-4000-8000-000000000000") { id } }' })),
      ),
      UNAUTHENTICATED: await codeOf(
        post(JSON.stringify({ query: '{ exports { totalCount } }' }), { authorization: '' }),
      ),
    };
    expect(seen).toMatchObject({
      GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
      GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
      tokens: 'GRAPHQL_PARSE_FAILED',
      depth: 'GRAPHQL_VALIDATION_FAILED',
      aliases: 'GRAPHQL_VALIDATION_FAILED',
      mutationOverGet: 'BAD_REQUEST',
      OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
      BAD_REQUEST: 'BAD_REQUEST',
      BAD_USER_INPUT: 'BAD_USER_INPUT',
      missingVariable: 'BAD_USER_INPUT',
      NOT_FOUND: 'NOT_FOUND',
      UNAUTHENTICATED: 'UNAUTHENTICATED',
    });
    for (const [what, code] of Object.entries(seen)) {
      expect(codes.has(code ?? 'none'), `${what} gave ${code}, not in enum ErrorCode`).toBe(true);
    }
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
    const lines: string[] = [];
    const api = createApi({
      ...outbound.deps,
      logger: createLogger({ component: 'api', destination: { write: (line: string) => lines.push(line) } }),
      connect: async () => {
        throw new Error(`${secretDetail} for "jane@example.com"`);
      },
    });
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
      // Logged for the operator as a JSON line, without the data it quotes.
      expect(lines.map((line) => JSON.parse(line))).toEqual([
        expect.objectContaining({
          level: 'error',
          component: 'api',
          msg: expect.stringContaining(secretDetail),
        }),
      ]);
      expect(lines.join('\n')).not.toContain('jane');
    } finally {
      process.env.NODE_ENV = previousEnv;
    }
  });
});
