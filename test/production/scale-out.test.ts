import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { type ApiProcess, apiEnv, startApiProcess } from '../support/api-process.ts';
import { insertProfiles, makeProfiles, setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';
import { startWorkerProcess, type WorkerProcess, workerEnv } from '../support/worker-process.ts';

// ≈ 8 bulk imports a second for the account: two runs of 5,000 share that budget.
const scale = 5;
const apiKey = 'scale-out-key-0001';
const profiles = makeProfiles(5_000);
let fake: FakeActiveCampaign;
let outbound: Outbound;
const apis: ApiProcess[] = [];
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: [apiKey], lists: [7, 8] }] });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: scale, worker: false });
  await insertProfiles(outbound.sql, profiles);
  const env = workerEnv(outbound.config);
  for (let i = 0; i < 2; i++) {
    apis.push(await startApiProcess(apiEnv(outbound.config, await freePort())));
    workers.push(await startWorkerProcess(env));
  }
});

afterAll(async () => {
  await Promise.all([...apis, ...workers].map((p) => p.kill()));
  await outbound?.close();
  await fake?.close();
});

async function gqlAt<T = Record<string, any>>(api: ApiProcess, query: string, variables = {}): Promise<T> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${outbound.adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as { data: T; errors?: unknown };
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

/** Every event of the run's `exportRunProgress` stream on `api`, until the stream ends. */
async function watch(api: ApiProcess, runId: string): Promise<Array<{ status: string; sentCount: number }>> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${outbound.adminToken}`,
    },
    body: JSON.stringify({
      query: 'subscription($id: ID!) { exportRunProgress(id: $id) { status sentCount } }',
      variables: { id: runId },
    }),
  });
  const text = await response.text();
  return [...text.matchAll(/^data: (.+)$/gm)]
    .map(
      (m) =>
        JSON.parse(m[1] as string) as { data?: { exportRunProgress: { status: string; sentCount: number } } },
    )
    .flatMap((event) => (event.data ? [event.data.exportRunProgress] : []));
}

/** The pid of the worker running the run's pushPage now (Temporal's worker identity is `<pid>@<host>`). */
async function pushingWorkerPid(workflowId: string): Promise<number | undefined> {
  const { raw } = await outbound.deps.temporal.workflow.getHandle(workflowId).describe();
  const push = raw.pendingActivities?.find((a) => a.activityType?.name === 'pushPage');
  return push?.lastWorkerIdentity ? Number(push.lastWorkerIdentity.split('@')[0]) : undefined;
}

test('two APIs, two workers: a run started on one API and watched on the other survives a worker SIGKILL exactly, without a 429', async () => {
  const [first, second] = apis as [ApiProcess, ApiProcess];
  const account = fake.account(apiKey);
  const exportIds = [
    (
      await setUpExport(outbound, fake, {
        apiKey,
        listId: '7',
        name: 'Scale 7',
        rule: { all: [{ attribute: 'Email', op: 'EXISTS' }] },
      })
    ).exportId,
    (
      await setUpExport(outbound, fake, {
        apiKey,
        listId: '8',
        name: 'Scale 8',
        rule: { all: [{ attribute: 'Email', op: 'EXISTS' }] },
      })
    ).exportId,
  ];
  const runs: Array<{ id: string; workflowId: string }> = [];
  for (const id of exportIds) {
    const { runExport } = await gqlAt(first, 'mutation($id: ID!) { runExport(id: $id) { id workflowId } }', {
      id,
    });
    runs.push(runExport);
  }
  const [watched, other] = runs as [{ id: string; workflowId: string }, { id: string; workflowId: string }];
  const events = watch(second, watched.id);

  await waitForRun(outbound, watched.id, { until: (run) => run.sentCount >= 1_000 });
  await waitForRun(outbound, other.id, { until: (run) => run.sentCount >= 500 });
  let pid: number | undefined;
  for (let attempt = 0; pid === undefined && attempt < 50; attempt++) {
    pid = await pushingWorkerPid(watched.workflowId);
    if (pid === undefined) await new Promise((r) => setTimeout(r, 100));
  }
  const victim = workers.find((w) => w.process.pid === pid);
  expect(victim).toBeDefined();
  await victim?.kill('SIGKILL');

  const seen = await events;
  expect(seen.at(-1)?.status).toBe('SUCCEEDED');
  expect(seen.some((e) => e.status === 'RUNNING')).toBe(true);
  const done = await waitForRun(outbound, other.id, { timeoutMs: 180_000 });
  expect(done.status).toBe('SUCCEEDED');
  const { exportRun } = await gqlAt(
    second,
    'query($id: ID!) { exportRun(id: $id) { status exportedCount } }',
    {
      id: watched.id,
    },
  );
  expect(exportRun).toEqual({ status: 'SUCCEEDED', exportedCount: 5_000 });

  const expected = profiles.map((p) => String(p.attributes.Email)).sort();
  for (const list of [7, 8]) expect(account.listMembers(list).map((m) => m.email)).toEqual(expected);
  // The two workers kept to one budget for the account, shared through Postgres.
  expect(account.violations()).toEqual({ over429: 0 });
  // At most the import in flight of each push the killed worker held (250 contacts each) is sent twice.
  expect(account.contactsReceived() - 10_000).toBeLessThanOrEqual(2 * 250);
});

test('failed sign-ins are counted across API processes: the limit (10 a minute) holds for the address as a whole', async () => {
  const guess = (api: ApiProcess, token: string) =>
    fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
  try {
    // Five wrong tokens on each process: ten from the address in all.
    for (let i = 0; i < 10; i++) {
      expect((await guess(apis[i % 2] as ApiProcess, `obt_wrong-guess-${i}`)).status).toBe(200);
    }
    for (const api of apis) {
      const locked = await guess(api, outbound.adminToken);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  } finally {
    // The other tests sign in from the same address.
    await outbound.sql`delete from auth_failures`;
  }
  expect((await guess(apis[1] as ApiProcess, outbound.adminToken)).status).toBe(200);
});
