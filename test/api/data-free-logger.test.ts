import { DrizzleQueryError } from 'drizzle-orm/errors';
import { GraphQLError } from 'graphql';
import { expect, test } from 'vitest';
import { withoutData } from '../../api/data-free-logger.ts';

test('an unexpected database error is logged with its SQL, code and reason, never with the values it quotes', () => {
  const postgres = Object.assign(new Error('invalid input syntax for type json: "jane@example.com"'), {
    name: 'PostgresError',
    code: '22P02',
  });
  const failed = new DrizzleQueryError(
    'insert into "profiles" ("customer_id", "attributes") values ($1, $2)',
    ['c1', '{"Email":"jane@example.com","FirstName":"Jane"}'],
    postgres,
  );
  const logged = String(withoutData(new GraphQLError(failed.message, { originalError: failed })));

  expect(logged).not.toMatch(/jane|Jane/);
  expect(logged.split('\n')[0]).toBe(
    'DrizzleQueryError: Failed query: insert into "profiles" ("customer_id", "attributes") values ($1, $2)' +
      ' ← PostgresError 22P02: invalid input syntax for type json: "…"',
  );
  expect(logged).toMatch(/\n\s+at .*data-free-logger\.test\.ts/);
  expect(String(withoutData(new Error('user anna.k@example.org not found')))).toMatch(
    /^Error: user … not found\n/,
  );
  expect(withoutData('Request aborted')).toBe('Request aborted');
});
