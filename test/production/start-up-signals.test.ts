import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';
import { apiEnv } from '../support/api-process.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { workerEnv } from '../support/worker-process.ts';

let outbound: Outbound;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
});

afterAll(async () => {
  await outbound?.close();
});

/** The exit code, or the signal's name when the signal ended it (before Node had run any of our code). */
type Exit = number | NodeJS.Signals | null;
type Spawned = { child: ChildProcess; output(): string; exited: Promise<Exit> };

/** An entry point as `npm run start:*` runs it, not waited on: the test picks the moment it signals. */
function spawnEntryPoint(script: string, env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, output: () => output, exited };
}

/** The exit code, or a failure naming the output when the process outlives the 30 s bound. */
function exitWithin30s(spawned: Spawned): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    spawned.exited.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        spawned.child.kill('SIGKILL');
        reject(new Error(`still alive 30 s after SIGTERM:\n${spawned.output()}`));
      }, 30_000);
    }),
  ]);
}

/** Resolves after `ms`, or earlier once the process has printed `text` or exited. */
function after(spawned: Spawned, ms: number, text: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const poll = setInterval(() => {
      if (spawned.output().includes(text) || spawned.child.exitCode !== null) done();
    }, 5);
  });
}

test('SIGTERM at any moment of the worker’s start-up ends it within 30 s, exit 0, and frees its port for the next', async () => {
  // One port for every worker: one that outlived its SIGTERM would make the next fail with EADDRINUSE.
  const env = { ...workerEnv(outbound.config), OUTBOUND_WORKER_HTTP_PORT: String(await freePort()) };
  const delays = [0, 20, 60, 120, 200, 350, 500, 750, 1_000, 1_500, 2_000, 3_000, 4_500, 6_500];
  let beforeReady = 0;
  for (const delay of delays) {
    const worker = spawnEntryPoint('scripts/start-worker.ts', env);
    // A moment after spawn; a worker polling by then gets its SIGTERM while it runs.
    await after(worker, delay, 'Outbound worker polling');
    if (!worker.output().includes('Outbound worker polling')) beforeReady++;
    worker.child.kill('SIGTERM');
    const code = await exitWithin30s(worker);
    // Exit 0, or (a signal before Node ran the entry point's first line) ended by the signal unhandled.
    const clean = code === 0 || (code === 'SIGTERM' && worker.output() === '');
    expect({ delay, clean, output: clean ? '' : worker.output() }).toEqual({
      delay,
      clean: true,
      output: '',
    });
  }
  // Most moments fall inside start-up, where the SDK's own signal handler used to swallow the SIGTERM.
  expect(beforeReady).toBeGreaterThanOrEqual(delays.length / 2);

  const replacement = spawnEntryPoint('scripts/start-worker.ts', env);
  await after(replacement, 120_000, 'Outbound worker polling');
  expect(replacement.output()).toContain('Outbound worker polling');
  replacement.child.kill('SIGTERM');
  expect(await exitWithin30s(replacement)).toBe(0);
});

test('a taken port, Postgres or Temporal out of reach: start-up exits 1 naming the variable to check', async () => {
  const holder = createServer();
  const takenPort = await freePort();
  await new Promise<void>((resolve) => holder.listen(takenPort, resolve));
  const unreachable = `127.0.0.1:${await freePort()}`;
  const worker = workerEnv(outbound.config);
  const cases = [
    {
      script: 'scripts/start-worker.ts',
      env: { ...worker, OUTBOUND_WORKER_HTTP_PORT: String(takenPort) },
      names: 'OUTBOUND_WORKER_HTTP_PORT',
    },
    { script: 'scripts/start-api.ts', env: apiEnv(outbound.config, takenPort), names: 'PORT' },
    {
      script: 'scripts/start-worker.ts',
      env: { ...worker, DATABASE_URL: `postgres://postgres@${unreachable}/outbound` },
      names: 'DATABASE_URL',
    },
    {
      script: 'scripts/start-api.ts',
      env: {
        ...apiEnv(outbound.config, await freePort()),
        DATABASE_URL: `postgres://postgres@${unreachable}/x`,
      },
      names: 'DATABASE_URL',
    },
    {
      script: 'scripts/start-worker.ts',
      env: { ...worker, TEMPORAL_ADDRESS: unreachable },
      names: 'TEMPORAL_ADDRESS',
    },
  ];
  try {
    for (const { script, env, names } of cases) {
      const started = spawnEntryPoint(script, env);
      const code = await started.exited;
      expect({ script, names, code, named: started.output().includes(names) }).toEqual({
        script,
        names,
        code: 1,
        named: true,
      });
    }
  } finally {
    holder.close();
  }
});
