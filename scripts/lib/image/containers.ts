import { imageTag } from './image-build.ts';
import { type CommandResult, podman, podmanLimitArgs, tail } from './podman.ts';

/**
 * How every container of the check runs: on the host network, read-only root filesystem (podman
 * mounts a tmpfs at /tmp), the image's own user, only the environment given.
 */
function runArgs(name: string, env: Record<string, string>, extra: string[] = []): string[] {
  return [
    'run',
    '--name',
    name,
    ...podmanLimitArgs,
    '--network',
    'host',
    '--read-only',
    ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    ...extra,
    imageTag,
  ];
}

/** Runs a one-shot command in the image to its end and removes the container. */
export async function runOnce(
  name: string,
  env: Record<string, string>,
  command: string[],
  options: { volumes?: string[]; timeoutMs?: number } = {},
): Promise<CommandResult> {
  await podman(['rm', '--force', '--ignore', name]);
  const volumes = (options.volumes ?? []).flatMap((v) => ['--volume', v]);
  try {
    return await podman([...runArgs(name, env, volumes), ...command], {
      timeoutMs: options.timeoutMs ?? 180_000,
    });
  } finally {
    await podman(['rm', '--force', '--ignore', name]);
  }
}

export type Service = { name: string; startedAt: number; logs(): Promise<string>; remove(): Promise<void> };

/** Starts a long-running container (the image's default command unless `command` is given). */
export async function startService(
  name: string,
  env: Record<string, string>,
  command: string[] = [],
): Promise<Service> {
  await podman(['rm', '--force', '--ignore', name]);
  const startedAt = Date.now();
  const started = await podman([...runArgs(name, env, ['--detach']), ...command]);
  if (started.code !== 0) throw new Error(`podman run ${name} failed: ${tail(started)}`);
  return {
    name,
    startedAt,
    logs: async () => tail(await podman(['logs', '--tail', '40', name]), 40),
    remove: async () => {
      await podman(['rm', '--force', '--ignore', '--time', '0', name]);
    },
  };
}

/** Whether the container is still running. */
export async function isRunning(name: string): Promise<boolean> {
  const state = await podman(['inspect', '--format', '{{.State.Running}}', name]);
  return state.stdout.trim() === 'true';
}

/**
 * Sends SIGTERM and waits for the container to exit: its exit code and how long it took. Killed
 * past `boundMs` plus a margin, so a hung process fails the check instead of hanging it.
 */
export async function stopWithSigterm(
  name: string,
  boundMs: number,
): Promise<{ exitCode: number; ms: number }> {
  const started = Date.now();
  const killed = await podman(['kill', '--signal', 'TERM', name]);
  if (killed.code !== 0) throw new Error(`podman kill failed: ${tail(killed)}`);
  const waited = await podman(['wait', name], { timeoutMs: boundMs + 15_000 });
  const ms = Date.now() - started;
  if (waited.code !== 0) throw new Error(`not stopped ${ms} ms after SIGTERM (bound ${boundMs} ms)`);
  return { exitCode: Number(waited.stdout.trim()), ms };
}
