import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { transform } from 'esbuild';
import { graphiqlFiles } from '../../api/graphiql-files.ts';
import {
  builtGraphiqlDir,
  type Encoding,
  type GraphiqlManifest,
  graphiqlEncodings,
} from '../../api/playground.ts';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** The installed @graphql-yoga/render-graphiql's version: a build of another one is stale. */
function installedVersion(): string {
  const require = createRequire(import.meta.url);
  // …/render-graphiql/cjs/index.js: its package.json is not among its exports.
  const root = dirname(dirname(require.resolve('@graphql-yoga/render-graphiql')));
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

function builtManifest(dir: string): GraphiqlManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as GraphiqlManifest;
  } catch {
    return undefined;
  }
}

/** Monaco's workers come unminified in the bundle (the page's script does not): half their size minified. */
async function minified(name: string, body: Uint8Array): Promise<Uint8Array> {
  if (!name.endsWith('.worker.js')) return body;
  const { code } = await transform(new TextDecoder().decode(body), {
    loader: 'js',
    minify: true,
    legalComments: 'none',
  });
  return new TextEncoder().encode(code);
}

/**
 * Writes GraphiQL's files to `dir` (dist/graphiql) under `<version>/`: Monaco's workers minified, each
 * beside its brotli (quality 11) and gzip (level 9) forms; manifest.json last, replacing an earlier build.
 */
export async function buildGraphiql(dir: string = builtGraphiqlDir): Promise<GraphiqlManifest> {
  const { version, files } = await graphiqlFiles();
  const staging = `${dir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, version), { recursive: true });
  const encodings: Encoding[] = ['br', 'gzip'];
  await Promise.all(
    files.map(async (file) => {
      const path = join(staging, version, file.name);
      const body = await minified(file.name, file.body);
      const [br, gz] = await Promise.all([
        brotli(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
          },
        }),
        gzipped(body, { level: 9 }),
      ]);
      await writeFile(path, body);
      await writeFile(path + graphiqlEncodings.br, br);
      await writeFile(path + graphiqlEncodings.gzip, gz);
    }),
  );
  const manifest: GraphiqlManifest = {
    version,
    package: installedVersion(),
    files: Object.fromEntries(files.map(({ name, type }) => [name, { type, encodings }])),
  };
  await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  try {
    await rename(staging, dir);
  } catch (error) {
    // Another build (a second test run starting at once) put its own there first: the same files.
    await rm(staging, { recursive: true, force: true });
    if (!builtManifest(dir)) throw error;
  }
  return manifest;
}

/** The code that decides what the build holds: a build older than one of them is stale. */
const buildSources = ['../../api/graphiql-files.ts', '../../api/playground.ts', './graphiql-build.ts'].map(
  (path) => fileURLToPath(new URL(path, import.meta.url)),
);

/** True when dist/graphiql is missing, made from another @graphql-yoga/render-graphiql or by older code. */
export function graphiqlBuildIsStale(dir: string = builtGraphiqlDir): boolean {
  const manifest = builtManifest(dir);
  if (!manifest || manifest.package !== installedVersion() || !existsSync(join(dir, manifest.version)))
    return true;
  const built = statSync(join(dir, 'manifest.json')).mtimeMs;
  return buildSources.some((source) => statSync(source).mtimeMs > built);
}

/** GraphiQL's build, by `npm run console:build`, `npm run dev` and the tests when missing or stale. */
export async function ensureGraphiqlBuilt(log: (line: string) => void = () => {}): Promise<void> {
  if (!graphiqlBuildIsStale()) return;
  log('Building GraphiQL’s files (→ dist/graphiql, compressed once)…');
  await buildGraphiql();
}
