import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createApi } from '../../api/yoga.ts';
import { createToken } from '../../core/tokens.ts';
import { openApiDeps } from '../../scripts/lib/api-deps.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { serveApi } from '../../scripts/lib/serve-api.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { startPgProxy } from '../support/pg-proxy.ts';
import { auditDoc, expectNothingWritten, expectRejected, tokenFor } from './helpers.ts';

const createTokenDoc = `mutation($input: CreateTokenInput!) {
  createToken(input: $input) { token apiToken { id name expiresAt lastUsedAt } }
}`;
const revokeDoc = 'mutation($id: ID!) { revokeToken(id: $id) { id name } }';
const myTokensDoc = '{ viewer { id tokens { id name masked expiresAt lastUsedAt createdAt } } }';
const viewerDoc = '{ viewer { email } }';
const inADay = () => new Date(Date.now() + 86_400_000).toISOString();

let outbound: Outbound;
let contributor: string;
let viewer: string;
const servers: Server[] = [];
const closers: Array<() => Promise<void>> = [];

/** An API process of its own (its own pool, token cache and listener) over real HTTP on a free port. */
async function startApiInstance(settings: Parameters<typeof createApi>[1] = {}, databaseUrl?: string) {
  const deps = await openApiDeps({
    ...outbound.config,
    databaseUrl: databaseUrl ?? outbound.config.databaseUrl,
  });
  closers.push(() => deps.close());
  const port = await freePort();
  const server = await serveApi(createApi(deps, settings), port, '127.0.0.1');
  servers.push(server);
  return `http://127.0.0.1:${port}/graphql`;
}

type HttpAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: any };

/** POSTs over node:http, optionally from another loopback address (127.0.0.2: another client). */
function httpPost(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, localAddress },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ query, variables }));
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  contributor = await tokenFor(outbound, 'CONTRIBUTOR');
  viewer = await tokenFor(outbound, 'VIEWER');
});

afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  for (const close of closers) await close();
  await outbound?.close();
});

const userId = async (token: string) => (await outbound.gql(myTokensDoc, {}, token)).viewer.id as string;

describe('createToken', () => {
  test('an admin gives a user a named, expiring token, shown once and audited', async () => {
    const contributorId = await userId(contributor);
    const expiresAt = inADay();
    const { createToken: created } = await outbound.gql(createTokenDoc, {
      input: { userId: contributorId, name: 'CI', expiresAt },
    });
    expect(created.token).toMatch(/^obt_[A-Za-z0-9_-]{40,}$/);
    expect(created.apiToken).toEqual({ id: expect.any(String), name: 'CI', expiresAt, lastUsedAt: null });
    expect((await outbound.gql(viewerDoc, {}, created.token)).viewer.email).toBe('contributor@outbound.test');

    const { viewer: me } = await outbound.gql(myTokensDoc, {}, created.token);
    const listed = me.tokens.find((t: { id: string }) => t.id === created.apiToken.id);
    expect(listed).toMatchObject({ name: 'CI', expiresAt, masked: `obt_…${created.token.slice(-4)}` });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(me.tokens.map((t: { name: string }) => t.name)).toEqual(['default', 'CI']);
    expect(JSON.stringify(me)).not.toContain(created.token.slice(4, 20));

    const auditEvents = (await outbound.gql(auditDoc, { subjectId: created.apiToken.id })).auditEvents.nodes;
    expect(auditEvents).toEqual([
      expect.objectContaining({
        action: 'token.created',
        actorEmail: 'admin@outbound.test',
        details: { userId: contributorId, expiresAt },
      }),
    ]);
    expect(JSON.stringify(auditEvents)).not.toContain(created.token);
  });

  test.each([
    ['a contributor', () => contributor, 'FORBIDDEN'],
    ['a viewer', () => viewer, 'FORBIDDEN'],
    ['no token', () => null, 'UNAUTHENTICATED'],
  ])('refuses %s and writes nothing', async (_name, token, code) => {
    const input = { userId: await userId(viewer), name: 'mine', expiresAt: null };
    const result = await expectNothingWritten(outbound, () =>
      outbound.graphql(createTokenDoc, { input }, token()),
    );
    expectRejected(result, { code });
  });

  test('refuses a past expiry, an empty name and an unknown user', async () => {
    const id = await userId(viewer);
    const cases: Array<[Record<string, unknown>, string, string | undefined]> = [
      [{ userId: id, name: 'x', expiresAt: '2020-01-01T00:00:00Z' }, 'BAD_USER_INPUT', 'expiresAt'],
      [{ userId: id, name: '  ' }, 'BAD_USER_INPUT', 'name'],
      [{ userId: 'c0ffee00-0000-4000-8000-000000000000', name: 'x' }, 'NOT_FOUND', undefined],
    ];
    for (const [input, code, field] of cases) {
      const result = await expectNothingWritten(outbound, () => outbound.graphql(createTokenDoc, { input }));
      expectRejected(result, { code, field });
    }
  });

  test('createUser takes an optional expiry for the first token', async () => {
    const tokenExpiresAt = inADay();
    const { createUser } = await outbound.gql(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { user { tokens { name expiresAt } } token } }',
      { input: { email: 'expiring@outbound.test', role: 'VIEWER', tokenExpiresAt } },
    );
    expect(createUser.user.tokens).toEqual([{ name: 'default', expiresAt: tokenExpiresAt }]);
  });
});

describe('expiry', () => {
  test('an expired token is refused like an unknown one', async () => {
    const [user] = await outbound.sql<
      { id: string }[]
    >`select id from users where email = 'viewer@outbound.test'`;
    const { token, apiToken } = await createToken(
      outbound.sql,
      user?.id ?? '',
      'short',
      new Date(Date.now() + 86_400_000),
    );
    await outbound.sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${apiToken.id}`;
    expect(await outbound.graphql(viewerDoc, {}, token)).toEqual({ data: { viewer: null } });
    expectRejected(await outbound.graphql('{ exports { nodes { id } } }', {}, token), {
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('User.tokens', () => {
  test('a user lists their own tokens; others only an admin lists', async () => {
    expect((await outbound.gql(myTokensDoc, {}, viewer)).viewer.tokens.length).toBeGreaterThan(0);
    const others = '{ users { email tokens { id } } }';
    expectRejected(await outbound.graphql(others, {}, contributor), { code: 'FORBIDDEN' });
    const { users } = await outbound.gql(others);
    expect(
      users.find((u: { email: string }) => u.email === 'viewer@outbound.test').tokens.length,
    ).toBeGreaterThan(0);
  });
});

describe('revokeToken', () => {
  test('is refused at once by every API process, including one that had the token cached', async () => {
    const [a, b] = [await startApiInstance(), await startApiInstance()];
    const contributorId = await userId(contributor);
    const { createToken: created } = await outbound.gql(createTokenDoc, {
      input: { userId: contributorId, name: 'laptop' },
    });
    // Both processes have looked the token up (and cache it).
    for (const url of [a, b, a, b])
      expect((await httpPost(url, viewerDoc, {}, bearer(created.token))).body).toEqual({
        data: { viewer: { email: 'contributor@outbound.test' } },
      });

    const revoked = await httpPost(a, revokeDoc, { id: created.apiToken.id }, bearer(outbound.adminToken));
    expect(revoked.body).toEqual({ data: { revokeToken: { id: created.apiToken.id, name: 'laptop' } } });
    for (const url of [b, a]) {
      expect((await httpPost(url, viewerDoc, {}, bearer(created.token))).body).toEqual({
        data: { viewer: null },
      });
    }
    const auditEvents = (await outbound.gql(auditDoc, { subjectId: created.apiToken.id })).auditEvents.nodes;
    expect(auditEvents.map((e: { action: string }) => e.action)).toEqual(['token.revoked', 'token.created']);
  });

  test('is refused at once by a process whose NOTIFY never arrives; so is a role taken away', async () => {
    const proxy = await startPgProxy(outbound.config.databaseUrl);
    closers.push(() => proxy.close());
    const [a, b] = [await startApiInstance(), await startApiInstance({}, proxy.url)];
    // A contributor of its own: the tokens and the role change stay out of the other tests.
    const contributorId = await userId(
      await tokenFor(outbound, 'CONTRIBUTOR', 'frozen-listener@outbound.test'),
    );
    const laptop = await createToken(outbound.sql, contributorId, 'laptop', null);
    const ci = await createToken(outbound.sql, contributorId, 'ci', null);
    const whoAmI = '{ viewer { email role } }';
    const contributorViewer = {
      data: { viewer: { email: 'frozen-listener@outbound.test', role: 'CONTRIBUTOR' } },
    };
    for (const token of [laptop.token, ci.token])
      for (const url of [b, b])
        expect((await httpPost(url, whoAmI, {}, bearer(token))).body).toEqual(contributorViewer);
    // b's LISTEN connection stalls: what Postgres sends on it, NOTIFY included, stays in the socket.
    expect(proxy.freezeListeners()).toBe(1);

    await httpPost(a, revokeDoc, { id: laptop.apiToken.id }, bearer(outbound.adminToken));
    expect((await httpPost(b, whoAmI, {}, bearer(laptop.token))).body).toEqual({ data: { viewer: null } });
    expect((await httpPost(b, whoAmI, {}, bearer(ci.token))).body).toEqual(contributorViewer);

    const demoted = await httpPost(
      a,
      'mutation($id: ID!) { updateUser(id: $id, input: { role: VIEWER }) { role } }',
      { id: contributorId },
      bearer(outbound.adminToken),
    );
    expect(demoted.body).toEqual({ data: { updateUser: { role: 'VIEWER' } } });
    expect((await httpPost(b, whoAmI, {}, bearer(ci.token))).body).toEqual({
      data: { viewer: { email: 'frozen-listener@outbound.test', role: 'VIEWER' } },
    });
  });

  test('a user revokes their own token, not anyone else’s; an admin revokes any', async () => {
    const viewerId = await userId(viewer);
    const own = await createToken(outbound.sql, viewerId, 'own', null);
    const others = await createToken(outbound.sql, await userId(contributor), 'others', null);
    expectRejected(
      await expectNothingWritten(outbound, () =>
        outbound.graphql(revokeDoc, { id: others.apiToken.id }, viewer),
      ),
      { code: 'FORBIDDEN' },
    );
    expect((await outbound.gql(revokeDoc, { id: own.apiToken.id }, viewer)).revokeToken.name).toBe('own');
    expect((await outbound.graphql(viewerDoc, {}, own.token)).data).toEqual({ viewer: null });
    expect((await outbound.gql(revokeDoc, { id: others.apiToken.id })).revokeToken.name).toBe('others');
    expectRejected(await outbound.graphql(revokeDoc, { id: others.apiToken.id }), { code: 'NOT_FOUND' });
  });
});

describe('failed authentication', () => {
  const failures = 3;
  // Failed sign-ins are counted in Postgres, across API instances: each test starts and ends clean.
  const forgetFailures = async () => {
    await outbound.sql`delete from auth_failures`;
  };
  beforeEach(forgetFailures);
  afterEach(forgetFailures);

  test(`an address with ${failures} failures gets 429 with Retry-After for every token; other addresses do not`, async () => {
    const url = await startApiInstance({ authFailures: { failures, windowMs: 60_000 } });
    for (let i = 0; i < failures; i++) {
      const answer = await httpPost(url, viewerDoc, {}, bearer(`obt_guess-${i}`));
      expect(answer).toMatchObject({ status: 200, body: { data: { viewer: null } } });
    }
    for (const token of ['obt_guess-again', contributor]) {
      const answer = await httpPost(url, viewerDoc, {}, bearer(token));
      expect(answer.status).toBe(429);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      expect(answer.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    }
    // X-Forwarded-For is the client's own claim without OUTBOUND_TRUST_PROXY.
    expect(
      (await httpPost(url, viewerDoc, {}, { ...bearer(contributor), 'x-forwarded-for': '10.9.8.7' })).status,
    ).toBe(429);
    // Without a token the address is still served (as nobody); another address is not affected.
    expect((await httpPost(url, viewerDoc)).body).toEqual({ data: { viewer: null } });
    expect((await httpPost(url, viewerDoc, {}, bearer(contributor), '127.0.0.2')).body).toEqual({
      data: { viewer: { email: 'contributor@outbound.test' } },
    });
    const auditEvents = (await outbound.gql(auditDoc, { subjectId: '127.0.0.1' })).auditEvents.nodes;
    expect(auditEvents).toEqual([
      expect.objectContaining({ action: 'auth.locked_out', subjectType: 'ClientAddress', actorEmail: null }),
    ]);
  });

  test('behind a trusted proxy the address is the one the proxy appended to X-Forwarded-For', async () => {
    const url = await startApiInstance({ authFailures: { failures, windowMs: 60_000 }, trustProxy: true });
    const from = (address: string, token: string) =>
      httpPost(url, viewerDoc, {}, { ...bearer(token), 'x-forwarded-for': `1.2.3.4, ${address}` });
    for (let i = 0; i < failures; i++) expect((await from('203.0.113.9', `obt_guess-${i}`)).status).toBe(200);
    expect((await from('203.0.113.9', contributor)).status).toBe(429);
    expect((await from('203.0.113.10', contributor)).body).toEqual({
      data: { viewer: { email: 'contributor@outbound.test' } },
    });
  });
});
