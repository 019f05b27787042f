import { readdirSync, readFileSync } from 'node:fs';
import { buildSchema, isEnumType, printSchema } from 'graphql';
import { expect, test } from 'vitest';
import { errorCodes, requestErrorCodes } from '../../api/errors.ts';
import { schema } from '../../api/schema.ts';

test('api/schema.graphql is the printed schema: after changing the API run `npm run schema:print`', () => {
  const committed = readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8');
  expect(committed, 'api/schema.graphql is stale: run `npm run schema:print` and commit it').toBe(
    `${printSchema(schema)}\n`,
  );
});

const sdlErrorCodes = () => {
  const committed = buildSchema(readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8'));
  const type = committed.getType('ErrorCode');
  if (!isEnumType(type)) throw new Error('api/schema.graphql has no enum ErrorCode');
  return new Map(type.getValues().map((value) => [value.name, value.description ?? '']));
};

test('the SDL lists every ErrorCode of api/errors.ts and of the request layer, each saying when', () => {
  const listed = sdlErrorCodes();
  for (const code of [...Object.keys(errorCodes), ...Object.keys(requestErrorCodes)]) {
    expect(listed.has(code), `${code} is missing from enum ErrorCode`).toBe(true);
    expect(listed.get(code)?.length, `${code} has no description`).toBeGreaterThan(20);
  }
});

test('every code the API source sets (`code: …`, apiError(…)) is in the SDL', () => {
  const apiDir = new URL('../../api/', import.meta.url);
  const set = new Set<string>();
  for (const file of readdirSync(apiDir).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(new URL(file, apiDir), 'utf8');
    for (const match of source.matchAll(/\bcode: '([A-Z_]+)'|apiError\('([A-Z_]+)'/g)) {
      set.add(match[1] ?? match[2] ?? '');
    }
  }
  expect(set.size).toBeGreaterThanOrEqual(4);
  const listed = sdlErrorCodes();
  for (const code of set) expect(listed.has(code), `${code} is missing from enum ErrorCode`).toBe(true);
});
