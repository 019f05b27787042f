import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { type ApiProcess, apiEnv, startApiProcess } from '../support/api-process.ts';
import { withAdminSql } from '../support/database.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { createTeamDatabase, type TeamDatabase } from '../support/team-database.ts';
import { startWorkerProcess, type WorkerProcess, workerEnv } from '../support/worker-process.ts';

// Issue 30, rows 1–5 and 11 (NUL): a hostile or broken source fails its own preview or sync only.
// The API and the worker run as processes of their own, so a crash shows as an exit, not a failed test run.

/** A TCP server counting its connections; `onSocket` decides what each one gets. */
type CountingServer = { port: number; host: string; connections: () => number; close(): Promise<void> };

async function countingServer(onSocket: (socket: Socket) => void): Promise<CountingServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    host: `127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let outbound: Outbound;
let team: TeamDatabase;
let slow: TeamDatabase;
let api: ApiProcess;
let worker: WorkerProcess;
let teamHost: string;
/** Forwards to the test's Postgres on a port that is not in OUTBOUND_INSECURE_HOSTS. */
let unlistedProxy: CountingServer;
/** Writes bytes that are not the Postgres protocol, then hangs up. */
let garbage: CountingServer;
/** Accepts and says nothing. */
let silent: CountingServer;
let closedPort: number;
const previewTimeoutMs = 5_000;

beforeAll(async () => {
  team = await createTeamDatabase();
  slow = await createTeamDatabase();
  const url = new URL(team.url);
  teamHost = `${url.hostname}:${url.port || '5432'}`;
  unlistedProxy = await countingServer((socket) => {
    const upstream = connect(Number(url.port || 5432), url.hostname);
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  garbage = await countingServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\nnot postgres'));
  silent = await countingServer(() => {});
  closedPort = await freePort();
  outbound = await startOutbound({
    insecureHosts: [teamHost, garbage.host, silent.host, `127.0.0.1:${closedPort}`],
    worker: false,
  });
  for (const db of [team, slow]) {
    await db.sql`create table customers (customer_id text primary key, email text)`;
    await db.sql`insert into customers values ('c1', 'ann@example.com'), ('c2', 'bob@example.com')`;
  }
  api = await startApiProcess({
    ...apiEnv(outbound.config, await freePort()),
    OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS: String(previewTimeoutMs),
  });
  worker = await startWorkerProcess(workerEnv(outbound.config));
});

afterAll(async () => {
  await api?.kill();
  await worker?.kill();
  await outbound?.close();
  await Promise.all([unlistedProxy?.close(), garbage?.close(), silent?.close()]);
  await team?.drop();
  await slow?.drop();
});

// Each test counts the sources it added (none, when refused).
beforeEach(async () => {
  await outbound.sql`truncate sources cascade`;
});

type Answer = {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/** A GraphQL request to the API process, as the admin. */
async function graphql(
  query: string,
  variables: Record<string, unknown> = {},
  signal?: AbortSignal,
): Promise<Answer> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${outbound.adminToken}` },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  return (await response.json()) as Answer;
}

const createSource = (input: Record<string, unknown>, signal?: AbortSignal) =>
  graphql(
    'mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }',
    { input: { name: 'Hostile', ...input } },
    signal,
  );

const sourceCount = async () => (await outbound.sql`select id from sources`).length;

async function expectAlive() {
  expect(api.process.exitCode).toBeNull();
  expect(worker.process.exitCode).toBeNull();
  const answer = await graphql('{ sources { id } }');
  expect(answer.errors).toBeUndefined();
}

async function waitForSync(syncId: string) {
  for (;;) {
    const [row] = await outbound.sql<{ status: string; error: string | null }[]>`
      select status, error from source_syncs where id = ${syncId}`;
    if (row && row.status !== 'RUNNING') return row;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function syncNow(sourceId: string) {
  const answer = await graphql('mutation($id: ID!) { syncSource(id: $id) { id } }', { id: sourceId });
  expect(answer.errors).toBeUndefined();
  return waitForSync(answer.data?.syncSource.id);
}

/** Waits until no statement of the source database's matches `pattern` runs any more. */
async function untilNotRunning(database: TeamDatabase, pattern: string) {
  const name = new URL(database.url).pathname.slice(1);
  for (;;) {
    const running = await withAdminSql(
      (sql) => sql`select pid from pg_stat_activity
        where datname = ${name} and state = 'active' and query like ${pattern}`,
    );
    if (running.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function untilRunning(database: TeamDatabase, pattern: string) {
  const name = new URL(database.url).pathname.slice(1);
  for (;;) {
    const running = await withAdminSql(
      (sql) => sql`select pid from pg_stat_activity
        where datname = ${name} and state = 'active' and query like ${pattern}`,
    );
    if (running.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('row 1: a source connection goes to the one host and port checked, nowhere else', () => {
  test('host lists, #, and host/hostaddr/options parameters are refused before any connection', async () => {
    const database = new URL(team.url).pathname;
    const closed = `127.0.0.1:${closedPort}`;
    const urls = [
      `postgres://postgres@${closed}#,${unlistedProxy.host}${database}`,
      `postgres://postgres@${closed},${unlistedProxy.host}${database}`,
      `postgres://postgres@${closed}${database}?host=127.0.0.1&port=${unlistedProxy.port}`,
      `postgres://postgres@${closed}${database}?hostaddr=127.0.0.1`,
      `postgres://postgres@${teamHost}${database}?options=-c%20statement_timeout%3D1`,
    ];
    for (const databaseUrl of urls) {
      const answer = await createSource({ databaseUrl, table: 'customers' });
      expect(answer.errors?.[0]?.extensions, databaseUrl).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'databaseUrl',
      });
      expect(answer.errors?.[0]?.message).not.toContain(database.slice(1));
    }
    expect(unlistedProxy.connections()).toBe(0);
    expect(await sourceCount()).toBe(0);
  });

  test('Outbound’s own database is refused as a source', async () => {
    const answer = await createSource({ databaseUrl: outbound.config.databaseUrl, table: 'audit_events' });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'databaseUrl' });
    expect(answer.errors?.[0]?.message).toContain('own database');
    expect(await sourceCount()).toBe(0);
  });
});

describe('row 2: a source whose statements time out at once fails its own preview and sync only', () => {
  test('with ALTER DATABASE … SET statement_timeout = 1ms the preview errors, the sync is FAILED with the reason, both processes live on', async () => {
    const query = `select customer_id, email from customers where pg_sleep(0.05)::text = ''`;
    const created = await createSource({ databaseUrl: slow.url, query });
    expect(created.errors).toBeUndefined();
    const sourceId = created.data?.createSource.id as string;
    const name = new URL(slow.url).pathname.slice(1);
    await withAdminSql((sql) => sql.unsafe(`alter database ${name} set statement_timeout = '1ms'`));

    const preview = await graphql(
      'mutation($id: ID!, $input: UpdateSourceInput!) { updateSource(id: $id, input: $input) { id } }',
      { id: sourceId, input: { query } },
    );
    expect(preview.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    expect(preview.errors?.[0]?.message).toContain('statement timeout');
    await expectAlive();

    const sync = await syncNow(sourceId);
    expect(sync.status).toBe('FAILED');
    expect(sync.error).toContain('statement timeout');
    await expectAlive();

    // The worker still syncs a healthy source.
    await withAdminSql((sql) => sql.unsafe(`alter database ${name} reset statement_timeout`));
    expect((await syncNow(sourceId)).status).toBe('SUCCEEDED');
    await expectAlive();
  });
});

describe('row 3: one statement, read-only, without source values in errors; failed attempts audited', () => {
  test('several statements in a query are refused: nothing is written to the source', async () => {
    const failedBefore =
      await outbound.sql`select id from audit_events where action = 'source.create_failed'`;
    const answer = await createSource({
      databaseUrl: team.url,
      query:
        'select 1 as customer_id) s; commit; create table public.escaped(id int); commit; select * from (select 1 as customer_id',
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    const [escaped] = await team.sql`select to_regclass('public.escaped') as t`;
    expect(escaped?.t).toBeNull();
    const failed = await outbound.sql<{ details: Record<string, unknown> }[]>`
      select details from audit_events where action = 'source.create_failed' order by id`;
    expect(failed.length).toBe(failedBefore.length + 1);
    expect(failed.at(-1)?.details).toEqual({ code: 'BAD_USER_INPUT', field: 'query' });
  });

  test('a value the source quotes in its error never reaches the GraphQL error or the audit', async () => {
    const answer = await createSource({
      databaseUrl: team.url.replace('postgres@', 'postgres:pw-in-url@'),
      query: `select email::int as customer_id from customers`,
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    expect(answer.errors?.[0]?.message).toContain('22P02');
    expect(JSON.stringify(answer)).not.toContain('example.com');
    const audit = await outbound.sql`
      select details::text as d from audit_events where action = 'source.create_failed'`;
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.map((a) => a.d).join()).not.toMatch(/example\.com|pw-in-url|postgres:/);
  });

  test('a NUL in a query is refused as input, not as an unreachable database', async () => {
    const answer = await createSource({
      databaseUrl: team.url,
      query: 'select customer_id from customers\u0000',
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    expect(answer.errors?.[0]?.message).toContain('NUL');
  });
});

describe('row 4: a listed host:port that is not Postgres answers an error and is left alone', () => {
  test('a server that writes garbage and hangs up: a clear error, a bounded number of connections', async () => {
    const answer = await createSource({ databaseUrl: `postgres://u:p@${garbage.host}/db`, table: 't' });
    expect(answer.errors?.[0]?.extensions?.field).toBe('databaseUrl');
    expect(answer.errors?.[0]?.message).not.toContain('u:p@');
    const seen = garbage.connections();
    expect(seen).toBeLessThanOrEqual(3);
    // Nothing keeps reconnecting after the answer: a later request's round trip sees the same count.
    await expectAlive();
    await new Promise((r) => setTimeout(r, 500));
    expect(garbage.connections()).toBe(seen);
  });

  test('a server that stays silent: the connect deadline answers, one connection', async () => {
    const answer = await createSource({ databaseUrl: `postgres://u:p@${silent.host}/db`, table: 't' });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', field: 'databaseUrl' });
    expect(silent.connections()).toBeLessThanOrEqual(3);
    await expectAlive();
  });
});

describe('row 5: statements are bounded and end with their caller', () => {
  test('a preview runs at most its statement timeout (OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS below 30 s)', async () => {
    const answer = await createSource({
      databaseUrl: team.url,
      query: 'select customer_id, pg_sleep(90)::text as pause from customers',
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    expect(answer.errors?.[0]?.message).toContain('statement timeout');
    await untilNotRunning(team, '%pg_sleep(90)%');
  });

  test('a preview whose client goes away is cancelled on the source', async () => {
    // The in-process API (statement timeout 5 min, previews 30 s): only the cancellation ends it early.
    const leaving = new AbortController();
    const request = outbound.api
      .fetch(
        new Request('http://outbound.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${outbound.adminToken}` },
          body: JSON.stringify({
            query: 'mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }',
            variables: {
              input: {
                name: 'Left',
                databaseUrl: team.url,
                query: 'select customer_id, pg_sleep(91)::text as pause from customers',
              },
            },
          }),
          signal: leaving.signal,
        }),
      )
      .catch(() => null);
    await untilRunning(team, '%pg_sleep(91)%');
    leaving.abort();
    await request;
    await untilNotRunning(team, '%pg_sleep(91)%');
    expect(await sourceCount()).toBe(0); // the cancelled preview added none
  }, 25_000);

  test('a source whose first rows take longer than the heartbeat timeout (30 s) still syncs', async () => {
    const created = await createSource({
      databaseUrl: team.url,
      query: 'select c.customer_id, c.email from customers c, (select pg_sleep(35)) as wait',
    });
    // The preview runs the query too: its 5 s timeout refuses it; the source is added with a fast query and changed after.
    expect(created.errors?.[0]?.message).toContain('statement timeout');
    const fast = await createSource({
      databaseUrl: team.url,
      query: 'select customer_id, email from customers',
    });
    const sourceId = fast.data?.createSource.id as string;
    await outbound.sql`
      update sources set query = 'select c.customer_id, c.email from customers c, (select pg_sleep(35)) as wait'
      where id = ${sourceId}`;
    const sync = await syncNow(sourceId);
    expect(sync).toMatchObject({ status: 'SUCCEEDED', error: null });
    const [profiles] =
      await outbound.sql`select count(*)::int as n from profiles where source_id = ${sourceId}`;
    expect(profiles?.n).toBe(2);
  }, 110_000);
});
