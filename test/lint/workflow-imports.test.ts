import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const biome = join(root, 'node_modules/.bin/biome');
let project: string;

/**
 * A scratch project with this repository's biome.json (only its git integration off: the scratch
 * directory is no repository), so sources are linted as if they were in workflows/ without
 * writing into workflows/.
 */
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'outbound-lint-'));
  const config = JSON.parse(await readFile(join(root, 'biome.json'), 'utf8'));
  await writeFile(join(project, 'biome.json'), JSON.stringify({ ...config, vcs: { enabled: false } }));
});

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

/** `biome lint` of one file at `path` in the scratch project: its exit code and output. */
async function lint(path: string, source: string): Promise<{ code: number; output: string }> {
  await mkdir(join(project, path, '..'), { recursive: true });
  await writeFile(join(project, path), source);
  try {
    const { stdout, stderr } = await promisify(execFile)(biome, ['lint', '--colors=off', path], {
      cwd: project,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  } finally {
    await rm(join(project, path));
  }
}

const forbidden = {
  'a Node builtin': `import { readFileSync } from 'node:fs';\n\nexport const read = readFileSync;\n`,
  'the database client': `import { createDb } from '../db/client.ts';\n\nexport const db = createDb;\n`,
  'postgres.js': `import postgres from 'postgres';\n\nexport const sql = postgres;\n`,
  'drizzle-orm': `import { eq } from 'drizzle-orm';\n\nexport const equals = eq;\n`,
  "Temporal's client": `import { Client } from '@temporalio/client';\n\nexport const client = Client;\n`,
  'the Temporal client module beyond its start options': `import { startReservedRun } from '../core/temporal/export-runs.ts';\n\nexport const start = startReservedRun;\n`,
};

for (const [what, source] of Object.entries(forbidden)) {
  test(`workflow code may not import ${what}; other code may`, async () => {
    const inWorkflows = await lint('workflows/forbidden.ts', source);
    expect(inWorkflows.code).not.toBe(0);
    expect(inWorkflows.output).toContain('lint/style/noRestrictedImports');
    // The same source elsewhere passes: it is the workflows rule that refuses it, nothing else.
    expect(await lint('api/allowed.ts', source)).toMatchObject({ code: 0 });
  });
}

test('workflow code may import activity types', async () => {
  const source = `import type { ExportRunActivities } from '../activities/export-run.ts';\n\nexport type Activities = ExportRunActivities;\n`;
  const result = await lint('workflows/allowed.ts', source);
  expect(result.output).not.toContain('noRestrictedImports');
  expect(result.code).toBe(0);
});

test('workflow code may import the start options and search attribute keys of core/temporal/', async () => {
  const source = `import { searchAttributeKeys } from '../core/temporal/search-attribute-keys.ts';\nimport { exportRunStartOptions } from '../core/temporal/start-options.ts';\n\nexport const both = [exportRunStartOptions, searchAttributeKeys];\n`;
  const result = await lint('workflows/allowed.ts', source);
  expect(result.output).not.toContain('noRestrictedImports');
  expect(result.code).toBe(0);
});
