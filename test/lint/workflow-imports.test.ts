import { afterAll, beforeAll, expect, test } from 'vitest';
import { scratchLintProject } from '../support/biome-lint.ts';

let project: Awaited<ReturnType<typeof scratchLintProject>>;

beforeAll(async () => {
  project = await scratchLintProject();
});

afterAll(async () => {
  await project?.remove();
});

const lint = (path: string, source: string) => project.lint(path, source);

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
    expect(await lint('core/allowed.ts', source)).toMatchObject({ code: 0 });
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
