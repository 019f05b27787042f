import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { searchAttributes } from '../../temporal.config.ts';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const temporalCliPath = join(projectRoot, '.tools/bin/temporal');
const temporalCliModule = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** The CLI releases whose dev server takes the flags Outbound passes (1.5 and later 1.x). */
export function temporalVersionFits(versionOutput: string): boolean {
  const match = /temporal version (\d+)\.(\d+)\.(\d+)/.exec(versionOutput);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major === 1 && minor >= 5;
}

/** A `temporal` on PATH (or at TEMPORAL_CLI) whose version fits, so nothing needs building. */
function suppliedTemporalCli(env = process.env, log: (line: string) => void): string | undefined {
  const candidates = env.TEMPORAL_CLI ? [env.TEMPORAL_CLI] : ['temporal'];
  for (const candidate of candidates) {
    const result = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (result.status !== 0) {
      if (env.TEMPORAL_CLI)
        log(`TEMPORAL_CLI=${candidate} does not run (${result.error?.message ?? result.status}).`);
      continue;
    }
    const version = result.stdout.trim();
    if (temporalVersionFits(version)) return candidate;
    log(`Not using ${candidate} (${version}): Outbound needs Temporal CLI 1.5 or later 1.x.`);
  }
  return undefined;
}

const buildHelp =
  'To skip the build, put a Temporal CLI release (1.5 or later 1.x) on PATH or point TEMPORAL_CLI at it: ' +
  'https://docs.temporal.io/cli#install (brew install temporal, or the archive from ' +
  'https://temporal.download/cli/archive/latest?platform=linux&arch=amd64), or copy a built one to .tools/bin/temporal.';

/**
 * The Temporal CLI: TEMPORAL_CLI if set, else `.tools/bin/temporal` if built, else a fitting `temporal` on PATH,
 * else built into .tools/bin with `go install` once (about 9 minutes on 2 cores; later calls return at once).
 */
export async function ensureTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  if (process.env.TEMPORAL_CLI) {
    const chosen = suppliedTemporalCli(process.env, log);
    if (chosen) return chosen;
    throw new Error(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} is not a Temporal CLI 1.5 or later 1.x.`);
  }
  if (existsSync(temporalCliPath)) return temporalCliPath;
  const onPath = suppliedTemporalCli(process.env, log);
  if (onPath) return onPath;
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      `The Temporal CLI is missing at ${temporalCliPath} and Go is not installed to build it. ` +
        `Install Go (https://go.dev/dl) to build it, or: ${buildHelp}`,
    );
  }
  mkdirSync(dirname(temporalCliPath), { recursive: true });
  log(
    `Building the Temporal CLI (${temporalCliModule}) into .tools/bin, once: about 9 minutes on 2 cores, ` +
      `less on more (~700 packages).\n${buildHelp}`,
  );
  const started = Date.now();
  let packages = 0;
  // One short line a minute: how long so far and how far.
  const ticker = setInterval(
    () =>
      log(
        `  …still building: ${Math.round((Date.now() - started) / 60_000)} min, ${packages} packages compiled`,
      ),
    60_000,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', ['install', '-v', temporalCliModule], {
        env: { ...process.env, GOBIN: dirname(temporalCliPath) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let tail = '';
      child.stderr.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-4000);
        packages += chunk
          .toString()
          .split('\n')
          .filter((l) => l && !l.startsWith('go: downloading')).length;
      });
      child.on('error', reject);
      child.on('exit', (code) => {
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
  /** The search attributes to register: temporal.config.ts's unless given (a test's incomplete namespace). */
  searchAttributes?: Record<string, string>;
};

/** `--search-attribute Name=Type` for each attribute, as `temporal server start-dev` takes them. */
export function searchAttributeFlags(attributes: Record<string, string> = searchAttributes): string[] {
  return Object.entries(attributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

export type TemporalDevServer = { address: string; stop: () => Promise<void> };

/** Makes the CLI ignore Temporal's environment configuration (variables and profiles), CLI 1.5 and later. */
const noClientConfig = ['--disable-config-env', '--disable-config-file'];

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
  args.push(...searchAttributeFlags(options.searchAttributes));
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
    // Only the address: TEMPORAL_TLS, TEMPORAL_API_KEY or a profile in the shell are for a real cluster.
    const health = spawnSync(
      cli,
      ['operator', 'cluster', 'health', '--address', address, ...noClientConfig],
      {
        encoding: 'utf8',
      },
    );
    if (health.status === 0 && health.stdout.includes('SERVING')) return { address, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`Temporal dev server on ${address} did not become healthy within 120 s:\n${stderr}`);
}
