import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podman, runCommand, tail } from './podman.ts';

/** The Dockerfile's base image (its first FROM), in full: `node:22-bookworm-slim` → docker.io/library/node:22-bookworm-slim. */
export function baseImageOf(dockerfile: string): string {
  const match = /^FROM\s+(?:--platform=\S+\s+)?(\S+)/im.exec(dockerfile);
  if (!match?.[1]) throw new Error('The Dockerfile has no FROM line');
  const name = match[1];
  const [first, ...rest] = name.split('/');
  if (rest.length === 0) return `docker.io/library/${name}`;
  if (first && !first.includes('.') && !first.includes(':') && first !== 'localhost')
    return `docker.io/${name}`;
  return name;
}

/** The Node major a `node:<major>-…` tag names. */
export function nodeMajorOf(baseImage: string): number {
  const match = /\/node:(\d+)/.exec(baseImage);
  if (!match) throw new Error(`${baseImage} is not a node:<major>-… image: no stand-in for it`);
  return Number(match[1]);
}

export const standInLabel = 'outbound.stand-in';

export type BaseImage = { name: string; origin: 'local' | 'pulled' | 'stand-in made' | 'stand-in cached' };

/**
 * The Dockerfile's base image in podman's storage: already there, else pulled, else (when the registry
 * cannot be reached, as Docker Hub cannot from CI here) a stand-in under the same name made from
 * Debian's packages (mmdebstrap) and the npm registry's Node binary, with npm and the `node` user as
 * the official image has them.
 */
export async function ensureBaseImage(
  dockerfilePath: string,
  log: (line: string) => void,
): Promise<BaseImage> {
  const name = baseImageOf(readFileSync(dockerfilePath, 'utf8'));
  const exists = await podman(['image', 'exists', name]);
  if (exists.code === 0) {
    const labels = await podman([
      'image',
      'inspect',
      '--format',
      `{{index .Labels "${standInLabel}"}}`,
      name,
    ]);
    return { name, origin: labels.stdout.trim() === 'true' ? 'stand-in cached' : 'local' };
  }
  log(`Pulling ${name}…`);
  const pulled = await podman(['pull', '--quiet', name], { timeoutMs: 180_000 });
  if (pulled.code === 0) return { name, origin: 'pulled' };
  log(
    `Cannot pull ${name} (${tail(pulled, 1)}): making a stand-in from Debian packages and Node's npm package`,
  );
  await makeStandIn(name, log);
  return { name, origin: 'stand-in made' };
}

async function makeStandIn(name: string, log: (line: string) => void): Promise<void> {
  const major = nodeMajorOf(name);
  const suite = /-(bookworm|bullseye|trixie)/.exec(name)?.[1] ?? 'bookworm';
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const work = mkdtempSync(join(tmpdir(), 'outbound-base-'));
  try {
    const packed = await runCommand(
      'npm',
      [
        'pack',
        '--silent',
        '--pack-destination',
        work,
        `node-linux-${arch}@${major}`,
        `npm@${npmMajorFor(major)}`,
      ],
      { timeoutMs: 600_000 },
    );
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${tail(packed)}`);
    const [nodeTgz, npmTgz] = packed.stdout
      .trim()
      .split('\n')
      .map((file) => join(work, file.trim()));
    if (!nodeTgz || !npmTgz) throw new Error(`npm pack printed no files:\n${packed.stdout}`);
    const rootfs = join(work, 'rootfs.tar');
    const npmDir = '"$1/usr/local/lib/node_modules/npm"';
    const hooks = [
      `tar -xzf ${nodeTgz} -C "$1/usr/local" --strip-components=1 package/bin/node`,
      `mkdir -p ${npmDir} && tar -xzf ${npmTgz} -C ${npmDir} --strip-components=1`,
      'ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"',
      'ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"',
      'chroot "$1" groupadd --gid 1000 node',
      'chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node',
      'rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*',
    ];
    log(`mmdebstrap ${suite} (minbase) + Node ${major} (${nodeTgz.split('/').pop()})…`);
    const strapped = await runCommand(
      'mmdebstrap',
      [
        '--variant=minbase',
        '--quiet',
        ...hooks.map((hook) => `--customize-hook=${hook}`),
        suite,
        rootfs,
        'http://deb.debian.org/debian',
      ],
      { timeoutMs: 900_000 },
    );
    if (strapped.code !== 0) throw new Error(`mmdebstrap failed:\n${tail(strapped)}`);
    const imported = await podman([
      'import',
      '--change',
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--change',
      'CMD ["node"]',
      '--change',
      `LABEL ${standInLabel}=true`,
      rootfs,
      name,
    ]);
    if (imported.code !== 0) throw new Error(`podman import failed:\n${tail(imported)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The npm line each Node release line ships with. */
function npmMajorFor(nodeMajor: number): number {
  return nodeMajor >= 24 ? 11 : 10;
}
