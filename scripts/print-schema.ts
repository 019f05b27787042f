/** `npm run schema:print`: writes the printed SDL to api/schema.graphql (test/api/schema.test.ts checks it). */
import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../api/schema.ts';

const file = new URL('../api/schema.graphql', import.meta.url);
writeFileSync(file, `${printSchema(schema)}\n`);
console.log(`Wrote ${file.pathname}`);
