import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { buildSchema, parse, print } from 'graphql';
import { expect, test } from 'vitest';
import { operationCost } from '../../api/query-cost.ts';
import { schema } from '../../api/schema.ts';
import { queryLimits } from '../../api/yoga.ts';
import config from '../../codegen.ts';
import * as operations from '../../console/src/gql/graphql.ts';
import { errorSentences } from '../../console/src/ui/errors.ts';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';

test("the console's generated operation types are current (npm run console:codegen)", async () => {
  const files = (await generate({ ...config, cwd: projectRoot, silent: true }, false)) as Array<{
    filename: string;
    content: string;
  }>;
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    expect(readFileSync(join(projectRoot, file.filename), 'utf8'), file.filename).toBe(file.content);
  }
});

test('the console has a sentence for every ErrorCode of the SDL', () => {
  const sdl = buildSchema(readFileSync(join(projectRoot, 'api/schema.graphql'), 'utf8'));
  const codes = (sdl.getType('ErrorCode') as import('graphql').GraphQLEnumType)
    .getValues()
    .map((v) => v.name);
  expect(Object.keys(errorSentences).sort()).toEqual(codes.sort());
});

test("every operation of the console is within the API's cost limit", () => {
  const documents = Object.entries(operations).filter(([name]) => name.endsWith('Document'));
  expect(documents.length).toBeGreaterThan(10);
  for (const [name, document] of documents) {
    const variables = { id: 'x', exportId: 'x', input: {}, cron: '', timezone: '' };
    const cost = operationCost(schema, parse(print(document as never)), variables) ?? 0;
    expect(cost, name).toBeLessThanOrEqual(queryLimits.cost);
  }
});
