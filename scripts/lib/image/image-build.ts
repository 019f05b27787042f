import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../temporal-cli.ts';
import { type BaseImage, ensureBaseImage } from './base-image.ts';
import { podman, podmanLimitArgs, tail } from './podman.ts';

export const imageTag = 'outbound:latest';

export type BuiltImage = { base: BaseImage; buildMs: number; sizeBytes: number };

/**
 * The CA bundle this machine's npm trusts beyond Node's own (a registry behind a TLS-intercepting
 * proxy), handed to the build's `npm ci` as the `npm-ca` secret; none when the host needs none.
 */
function npmCaBundle(): string | undefined {
  const candidates = [process.env.NODE_EXTRA_CA_CERTS, process.env.npm_config_cafile];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

/** Builds the Dockerfile into outbound:latest with podman (its layer cache kept between runs). */
export async function buildImage(log: (line: string) => void): Promise<BuiltImage> {
  const base = await ensureBaseImage(join(projectRoot, 'Dockerfile'), log);
  const ca = npmCaBundle();
  const started = Date.now();
  const built = await podman(
    [
      'build',
      ...podmanLimitArgs,
      '--network',
      'host',
      '--pull=never',
      ...(ca ? ['--secret', `id=npm-ca,src=${ca}`] : []),
      '--tag',
      imageTag,
      projectRoot,
    ],
    {
      timeoutMs: 40 * 60_000,
      onLine: (line) => (line.includes(' STEP ') || line.startsWith('STEP ') ? log(line) : undefined),
    },
  );
  if (built.code !== 0) throw new Error(`podman build failed (exit ${built.code}):\n${tail(built, 30)}`);
  const buildMs = Date.now() - started;
  const size = await podman(['image', 'inspect', '--format', '{{.Size}}', imageTag]);
  return { base, buildMs, sizeBytes: Number(size.stdout.trim()) };
}

/** The image's user and environment, as `podman image inspect` reports them. */
export async function imageConfig(): Promise<{ user: string; env: Record<string, string> }> {
  const inspected = await podman(['image', 'inspect', '--format', '{{json .Config}}', imageTag]);
  if (inspected.code !== 0) throw new Error(tail(inspected));
  const config = JSON.parse(inspected.stdout) as { User?: string; Env?: string[] };
  const env = Object.fromEntries(
    (config.Env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  return { user: config.User ?? '', env };
}
