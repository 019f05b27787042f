import { afterAll, beforeAll, expect, test } from 'vitest';
import { scratchLintProject } from '../support/biome-lint.ts';

let project: Awaited<ReturnType<typeof scratchLintProject>>;

beforeAll(async () => {
  project = await scratchLintProject();
});

afterAll(async () => {
  await project?.remove();
});

const forbidden = {
  'a drizzle-orm operator': `import { eq } from 'drizzle-orm';\n\nexport const equals = eq;\n`,
  'the drizzle driver': `import { drizzle } from 'drizzle-orm/postgres-js';\n\nexport const open = drizzle;\n`,
  'a table': `import { users } from '../db/schema.ts';\n\nexport const table = users;\n`,
  'the whole schema': `import * as schema from '../db/schema.ts';\n\nexport const tables = schema;\n`,
  'the database client': `import { createDb } from '../db/client.ts';\n\nexport const db = createDb;\n`,
};

for (const [what, source] of Object.entries(forbidden)) {
  test(`API code may not import ${what}; core code may`, async () => {
    const inApi = await project.lint('api/forbidden.ts', source);
    expect(inApi.code).not.toBe(0);
    expect(inApi.output).toContain('lint/style/noRestrictedImports');
    expect(await project.lint('core/allowed.ts', source)).toMatchObject({ code: 0 });
  });
}

test('API code a folder deeper may not import a table either', async () => {
  const source = `import { users } from '../../db/schema.ts';\n\nexport const table = users;\n`;
  const result = await project.lint('api/deeper/forbidden.ts', source);
  expect(result.code).not.toBe(0);
  expect(result.output).toContain('lint/style/noRestrictedImports');
});

test('API code may import database types', async () => {
  const source =
    `import type { SQL } from 'drizzle-orm';\nimport type { Db, Sql } from '../db/client.ts';\n` +
    `import type { FieldMapping } from '../db/schema.ts';\n\n` +
    `export type Handles = { db: Db; sql: Sql; where: SQL; mapping: FieldMapping };\n`;
  const result = await project.lint('api/allowed.ts', source);
  expect(result.output).not.toContain('noRestrictedImports');
  expect(result.code).toBe(0);
});
