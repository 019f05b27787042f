import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../../fake-activecampaign/index.ts';
import { devDefaults } from '../dev-defaults.ts';
import { freePort } from '../free-port.ts';
import { apiStopWithinMs } from '../serve-api.ts';
import { startTemporalDevServer, type TemporalDevServer } from '../temporal-cli.ts';
import { workerStopWithinMs } from '../worker.ts';
import { type Checklist, createChecklist } from './checklist.ts';
import { isRunning, runOnce, type Service, startService, stopWithSigterm } from './containers.ts';
import { exportThroughApi, graphqlClient } from './export-through-api.ts';
import { buildImage, imageConfig } from './image-build.ts';
import { tail } from './podman.ts';

/** The customers the check exports: imported with the CLI, expected on list 7 exactly. */
const profiles = Array.from({ length: 12 }, (_, i) => ({
  id: `image-check-${i + 1}`,
  email: `image-check-${i + 1}@example.com`,
  first: `First${i + 1}`,
  last: `Last${i + 1}`,
}));

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Polls `url` until it answers 200 (the time since `since`), or fails after `timeoutMs`. */
async function until200(url: string, since: number, service: Service, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) }).catch((e: Error) => e);
    if (!(response instanceof Error) && response.status === 200) return Date.now() - since;
    last = response instanceof Error ? response.message : `HTTP ${response.status}: ${await response.text()}`;
    if (!(await isRunning(service.name))) throw new Error(`the container exited:\n${await service.logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not 200 after ${timeoutMs} ms (${last}):\n${await service.logs()}`);
}

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

type Environment = {
  temporal: TemporalDevServer;
  fake: FakeActiveCampaign;
  databaseUrl: string;
  dropDatabase(): Promise<void>;
};

/** A Temporal dev server on a free port, a database of its own, the fake ActiveCampaign with list 7. */
async function startEnvironment(apiKey: string): Promise<Environment> {
  // A second try on another port: a free port can be taken by another process before the server binds it.
  const temporal = await startTemporalDevServer({ port: await freePort() }).catch(async () =>
    startTemporalDevServer({ port: await freePort() }),
  );
  const fake = await startFakeActiveCampaign({ accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  const server = new URL(process.env.DATABASE_URL?.trim() || devDefaults.databaseUrl);
  const name = `outbound_image_check_${process.pid}`;
  const admin = new URL(server);
  admin.pathname = '/postgres';
  const databaseUrl = new URL(server);
  databaseUrl.pathname = `/${name}`;
  const dropDatabase = async () => {
    const sql = postgres(admin.href, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await sql.end();
    }
  };
  await dropDatabase();
  return { temporal, fake, databaseUrl: databaseUrl.href, dropDatabase };
}

/**
 * `npm run image:check`: builds outbound:latest with podman and runs it for real: the migration, the
 * CLI, the API and the worker containers against a Temporal dev server, Postgres and the fake
 * ActiveCampaign on the host network; an export end to end through GraphQL; SIGTERM within the bounds.
 */
export async function runImageCheck(log: (line: string) => void = console.log): Promise<boolean> {
  const checks = createChecklist(log);
  const built = await checks.run('image builds (podman, Dockerfile)', async () => {
    const image = await buildImage((line) => log(`      ${line}`));
    return {
      value: image,
      detail: `${seconds(image.buildMs)}, ${(image.sizeBytes / 1e6).toFixed(0)} MB, base ${image.base.name} ${image.base.origin}`,
    };
  });
  if (!built) return finish(checks);

  await checks.run('image: non-root user, playground off, prebuilt workflows and GraphiQL', async () => {
    const { user, env } = await imageConfig();
    expect(user === 'node', `USER is "${user}"`);
    expect(env.OUTBOUND_PLAYGROUND === 'off', `OUTBOUND_PLAYGROUND=${env.OUTBOUND_PLAYGROUND}`);
    expect(env.OUTBOUND_WORKFLOW_BUNDLE === '/app/dist/workflows.js', 'OUTBOUND_WORKFLOW_BUNDLE not set');
    const files = await runOnce(`outbound-check-files-${process.pid}`, {}, [
      'node',
      '-e',
      `const fs = require('node:fs'); const has = (p) => fs.existsSync(p);
       console.log(JSON.stringify({ uid: process.getuid(), bundle: has('dist/workflows.js'), console: has('console/dist/index.html'),
         graphiql: has('dist/graphiql/manifest.json'), tsx: has('node_modules/tsx'), dev: ['vite', 'vitest', 'typescript', '@biomejs/biome', 'deno'].filter((d) => has('node_modules/' + d)) }))`,
    ]);
    const facts = JSON.parse(files.stdout.trim().split('\n').pop() ?? '{}');
    expect(facts.uid === 1000, `runs as uid ${facts.uid}`);
    expect(
      facts.bundle && facts.console && facts.graphiql && facts.tsx,
      `missing: ${files.stdout}${files.stderr}`,
    );
    expect(facts.dev.length === 0, `dev dependencies in the image: ${facts.dev.join(', ')}`);
  });

  const apiKey = `image-check-${randomBytes(6).toString('hex')}`;
  const environment = await checks.run(
    'environment: Temporal dev server, database, fake ActiveCampaign',
    () => startEnvironment(apiKey),
  );
  if (!environment) return finish(checks);
  const files = mkdtempSync(join(tmpdir(), 'outbound-image-check-'));
  // Mounted into the CLI container, whose user (node, uid 1000) must read it.
  chmodSync(files, 0o755);
  const services: Service[] = [];
  try {
    await exercise(checks, environment, apiKey, files, services);
  } finally {
    for (const service of services) await service.remove();
    await environment.temporal.stop();
    await environment.fake.close();
    await environment.dropDatabase().catch(() => {});
    rmSync(files, { recursive: true, force: true });
  }
  return finish(checks);
}

function finish(checks: Checklist): boolean {
  return checks.summary().failed === 0;
}

async function exercise(
  checks: Checklist,
  environment: Environment,
  apiKey: string,
  files: string,
  services: Service[],
): Promise<void> {
  const pid = process.pid;
  // What a deployment must give: the database, Temporal, the key, and here the fake's plain-HTTP host.
  const env = {
    DATABASE_URL: environment.databaseUrl,
    TEMPORAL_ADDRESS: environment.temporal.address,
    OUTBOUND_SECRET_KEY: randomBytes(32).toString('base64'),
    OUTBOUND_INSECURE_HOSTS: environment.fake.host,
  };

  const migrated = await checks.run('migrate container: node --import tsx scripts/migrate.ts', async () => {
    const result = await runOnce(`outbound-check-migrate-${pid}`, env, [
      'node',
      '--import',
      'tsx',
      'scripts/migrate.ts',
    ]);
    expect(
      result.code === 0 && result.stdout.includes('Database migrated.'),
      `exit ${result.code}:\n${tail(result)}`,
    );
    return true;
  });
  if (!migrated) return;

  const token = await checks.run('CLI container: user:create and profiles:import', async () => {
    const created = await runOnce(`outbound-check-cli-${pid}`, env, [
      'node',
      '--import',
      'tsx',
      'scripts/cli.ts',
      'user:create',
      '--email',
      'image-check@example.com',
      '--role',
      'ADMIN',
    ]);
    expect(created.code === 0, `user:create exit ${created.code}:\n${tail(created)}`);
    const csv = join(files, 'profiles.csv');
    writeFileSync(
      csv,
      `customer_id,Email,FirstName,LastName\n${profiles.map((p) => `${p.id},${p.email},${p.first},${p.last}`).join('\n')}\n`,
    );
    const imported = await runOnce(
      `outbound-check-cli-${pid}`,
      env,
      ['node', '--import', 'tsx', 'scripts/cli.ts', 'profiles:import', '/import/profiles.csv'],
      { volumes: [`${files}:/import:ro`] },
    );
    expect(imported.code === 0, `profiles:import exit ${imported.code}:\n${tail(imported)}`);
    return created.stdout.trim().split('\n').pop() ?? '';
  });
  if (!token) return;

  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = await checks.run('API container (default command) ready: /readyz 200', async () => {
    const service = await startService(`outbound-check-api-${pid}`, { ...env, PORT: String(apiPort) });
    services.push(service);
    return {
      value: service,
      detail: `${seconds(await until200(`${apiUrl}/readyz`, service.startedAt, service))} after podman run`,
    };
  });
  if (!api) return;

  await checks.run('API serves the console at / (and its assets)', async () => {
    const page = await get(`${apiUrl}/`);
    expect(
      page.status === 200 && page.type.startsWith('text/html'),
      `GET / answered ${page.status} ${page.type}: ${page.body.slice(0, 120)}`,
    );
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script, 'the page names no /assets/*.js');
    const asset = await get(`${apiUrl}${script}`);
    expect(
      asset.status === 200 && asset.type.startsWith('text/javascript'),
      `GET ${script} answered ${asset.status}`,
    );
  });
  await checks.run('API /healthz, /metrics; playground off', async () => {
    expect((await get(`${apiUrl}/healthz`)).status === 200, '/healthz not 200');
    const metrics = await get(`${apiUrl}/metrics`);
    expect(metrics.status === 200 && metrics.body.includes('# TYPE'), `/metrics answered ${metrics.status}`);
    const playground = await fetch(`${apiUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(
      !(await playground.text()).includes('GraphiQL'),
      'GraphiQL is served with OUTBOUND_PLAYGROUND unset',
    );
  });

  const workerPort = await freePort();
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const worker = await checks.run('worker container ready: /readyz 200', async () => {
    const service = await startService(
      `outbound-check-worker-${pid}`,
      { ...env, OUTBOUND_WORKER_HTTP_PORT: String(workerPort) },
      ['node', '--max-old-space-size=192', '--import', 'tsx', 'scripts/start-worker.ts'],
    );
    services.push(service);
    return {
      value: service,
      detail: `${seconds(await until200(`${workerUrl}/readyz`, service.startedAt, service))} after podman run`,
    };
  });
  if (!worker) return;
  await checks.run('worker /metrics', async () => {
    const metrics = await get(`${workerUrl}/metrics`);
    expect(metrics.status === 200 && metrics.body.includes('# TYPE'), `/metrics answered ${metrics.status}`);
  });

  await checks.run('an export runs end to end through the containers (exact list)', async () => {
    const started = Date.now();
    const run = await exportThroughApi(graphqlClient(apiUrl, token), {
      apiHost: environment.fake.host,
      apiKey,
      listId: '7',
      customerIds: profiles.map((p) => p.id),
      timeoutMs: 180_000,
    });
    expect(
      run.status === 'SUCCEEDED' && run.exportedCount === profiles.length,
      `run ended ${JSON.stringify(run)}`,
    );
    const members = environment.fake.account(apiKey).listMembers(7);
    const got = members.map((m) => `${m.email} ${m.firstName} ${m.lastName} ${m.status}`).sort();
    const wanted = profiles.map((p) => `${p.email} ${p.first} ${p.last} subscribed`).sort();
    expect(JSON.stringify(got) === JSON.stringify(wanted), `list 7 holds ${JSON.stringify(got)}`);
    return { value: run, detail: `${profiles.length} contacts in ${seconds(Date.now() - started)}` };
  });

  for (const [service, boundMs] of [
    [api, apiStopWithinMs],
    [worker, workerStopWithinMs],
  ] as const) {
    await checks.run(
      `${service.name.replace(/-\d+$/, '').replace('outbound-check-', '')} stops on SIGTERM within ${seconds(boundMs)}`,
      async () => {
        const stopped = await stopWithSigterm(service.name, boundMs);
        expect(stopped.exitCode === 0, `exit code ${stopped.exitCode}:\n${await service.logs()}`);
        expect(stopped.ms <= boundMs, `took ${stopped.ms} ms`);
        return { value: stopped, detail: `exit 0 in ${seconds(stopped.ms)}` };
      },
    );
  }
}
