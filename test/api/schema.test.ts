import { readFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { expect, test } from 'vitest';
import { schema } from '../../api/schema.ts';

test('api/schema.graphql is the printed schema: after changing the API run `npm run schema:print`', () => {
  const committed = readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8');
  expect(committed, 'api/schema.graphql is stale: run `npm run schema:print` and commit it').toBe(
    `${printSchema(schema)}\n`,
  );
});
