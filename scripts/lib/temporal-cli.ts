import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { searchAttributes } from '../../temporal.config.ts';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const temporalCliPath = join(projectRoot, '.tools/bin/temporal');
const temporalCliModule = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Builds the Temporal CLI into .tools/bin with `go install` once; later calls return at once. */
export async function ensureTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  if (existsSync(temporalCliPath)) return temporalCliPath;
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      `The Temporal CLI is missing at ${temporalCliPath} and Go is not installed to build it. ` +
        `Install Go (https://go.dev/dl) or place a temporal v1.5.1 binary there.`,
    );
  }
  mkdirSync(dirname(temporalCliPath), { recursive: true });
  log(
    `Building the Temporal CLI (${temporalCliModule}) into .tools/bin: the first build takes several minutes…`,
  );
  const started = Date.now();
  const ticker = setInterval(
    () => log(`  …still building (${Math.round((Date.now() - started) / 1000)} s)`),
    30_000,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', ['install', '-v', temporalCliModule], {
        env: { ...process.env, GOBIN: dirname(temporalCliPath) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let packages = 0;
      let tail = '';
      child.stderr.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-4000);
        packages += chunk
          .toString()
          .split('\n')
          .filter((l) => l && !l.startsWith('go: downloading')).length;
      });
      const progress = setInterval(() => packages && log(`  compiled ${packages} packages`), 30_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearInterval(progress);
        if (code === 0) resolve();
        else reject(new Error(`go install ${temporalCliModule} failed (exit ${code}):\n${tail}`));
      });
    });
  } finally {
    clearInterval(ticker);
  }
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return temporalCliPath;
}

export type TemporalDevServerOptions = {
  port: number;
  /** Omit for a headless server. */
  uiPort?: number;
  /** Omit to keep state in memory. */
  dbFile?: string;
  logFile?: string;
};

export type TemporalDevServer = { address: string; stop: () => Promise<void> };

/** Starts `temporal server start-dev` with Outbound's search attributes and waits until it is healthy. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const cli = await ensureTemporalCli();
  const address = `127.0.0.1:${options.port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--log-level',
    'error',
  ];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const [name, type] of Object.entries(searchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`Temporal dev server exited (${child.exitCode}):\n${stderr}`);
    const health = spawnSync(cli, ['operator', 'cluster', 'health', '--address', address], {
      encoding: 'utf8',
    });
    if (health.status === 0 && health.stdout.includes('SERVING')) return { address, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`Temporal dev server on ${address} did not become healthy within 120 s:\n${stderr}`);
}
