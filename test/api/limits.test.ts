import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApi, maxRequestBytes, queryLimits } from '../../api/yoga.ts';
import { createLogger } from '../../core/observability/logger.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createConnectionDoc, expectNothingWritten } from './helpers.ts';

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
