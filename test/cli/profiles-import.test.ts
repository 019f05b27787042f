import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { ATTRIBUTE_NAMES_KEY, profileAttributeNames } from '../../core/profiles/store.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'outbound-cli-import-'));
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});
// Each test counts the profiles, attribute names and audit events its own import left.
beforeEach(async () => {
  await database.sql`truncate profiles, audit_events`;
  await database.sql`delete from settings where key = ${ATTRIBUTE_NAMES_KEY}`;
});

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** `npm run cli -- profiles:import <file>`, the real command, against this test's database. */
const importFile = (...path: string[]) =>
  runCli(['profiles:import', ...path], { DATABASE_URL: database.url });

async function stored(): Promise<Record<string, Record<string, unknown>>> {
  const rows = await database.sql<{ customer_id: string; attributes: Record<string, unknown> }[]>`
    select customer_id, attributes from profiles order by customer_id`;
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.attributes]));
}

test('a CSV with bad rows: the good rows are imported and the bad ones are named by line', async () => {
  await database.sql`insert into profiles (customer_id, attributes) values ('c1', '{"Old": "value"}')`;
  const path = file('profiles.csv', [
    'customer_id,Email,Country,Age',
    'c1,c1@example.com,HU,30',
    ',nobody@example.com,HU,1',
    'c2,c2@example.com,DE',
    'c3,"c3@example.com","Austria, Vienna","4""0"',
    'c4,c4@example.com,"bad"quote,5',
    'c5,c5@example.com,US,',
    'c6,c6@example.com,FR,60,extra',
  ]);
  const { code, stdout, stderr } = await importFile(path);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('Imported 3 profiles; 4 bad rows');
  const badLines = stdout.split('\n').filter((l) => l.startsWith('line '));
  expect(badLines.map((l) => l.split(':')[0])).toEqual(['line 3', 'line 4', 'line 6', 'line 8']);
  expect(badLines[0]).toMatch(/customer_id must be a non-empty string/);
  expect(badLines[1]).toMatch(/expected 4 columns as in the header, found 3/);
  expect(badLines[2]).toMatch(/quote/);
  expect(badLines[3]).toMatch(/expected 4 columns as in the header, found 5/);
  expect(stdout).toMatch(/100% read, 7 rows/);

  expect(await stored()).toEqual({
    // Replaced by the file's row; CSV values are text, empty cells are left out.
    c1: { Email: 'c1@example.com', Country: 'HU', Age: '30' },
    c3: { Email: 'c3@example.com', Country: 'Austria, Vienna', Age: '4"0' },
    c5: { Email: 'c5@example.com', Country: 'US' },
  });
  expect(await profileAttributeNames(database.sql)).toEqual(['Age', 'Country', 'Email']);
  // The operator's import is audited: counts only, no user, no customer data.
  const events = await database.sql`
    select actor_id, action, subject_type, details from audit_events where action = 'profiles.imported'`;
  expect(events).toEqual([
    {
      actor_id: null,
      action: 'profiles.imported',
      subject_type: 'Profiles',
      details: { imported: 3, badRows: 4 },
    },
  ]);
});

test('an NDJSON file with bad rows keeps typed values and names the bad lines', async () => {
  const path = file('profiles.ndjson', [
    JSON.stringify({ customerId: 'n1', attributes: { Email: 'n1@example.com', Age: 30, Vip: true } }),
    'not json at all',
    JSON.stringify({ customerId: 'n2', attributes: { Address: { City: 'Budapest' } } }),
    JSON.stringify({ customerId: '', attributes: {} }),
    '',
    JSON.stringify({ customerId: 'n3', attributes: { Tags: ['a', 'b'] } }),
    JSON.stringify({ customerId: 'n4', attributes: {}, extra: 1 }),
  ]);
  const { code, stdout } = await importFile(path);
  expect(code).toBe(0);
  expect(stdout).toContain('Imported 2 profiles; 4 bad rows');
  const badLines = stdout.split('\n').filter((l) => l.startsWith('line '));
  expect(badLines.map((l) => l.split(':')[0])).toEqual(['line 2', 'line 3', 'line 4', 'line 7']);
  expect(badLines[0]).toMatch(/invalid JSON/);
  expect(badLines[1]).toMatch(/attribute "Address" must be/);
  expect(badLines[2]).toMatch(/customerId must be a non-empty string/);
  expect(badLines[3]).toMatch(/unknown field "extra"/);
  expect(await stored()).toEqual({
    n1: { Email: 'n1@example.com', Age: 30, Vip: true },
    n3: { Tags: ['a', 'b'] },
  });
});

test.each([
  ['a missing file', () => join(dir, 'nope.csv'), /cannot read .*nope\.csv: no such file/],
  ['an unknown file type', () => file('profiles.xlsx', ['customer_id']), /unsupported file type "\.xlsx"/],
  ['a header without customer_id', () => file('no-id.csv', ['id,Email', 'c1,a@b.c']), /customer_id/],
])('%s fails the whole import with a non-zero exit and writes nothing', async (_name, makePath, message) => {
  const { code, stdout } = await importFile(makePath());
  expect(code).toBe(1);
  expect(stdout).toMatch(message);
  expect(stdout).toContain('Nothing was imported.');
  expect(await stored()).toEqual({});
});

test('no file at all is a usage error', async () => {
  const { code, stderr } = await importFile();
  expect(code).toBe(2);
  expect(stderr).toMatch(/profiles:import needs a file/);
});
