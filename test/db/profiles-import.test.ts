import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ImportFileError, importProfiles } from '../../core/profiles/profiles-import.ts';
import {
  ATTRIBUTE_NAMES_KEY,
  ProfileInputError,
  profileAttributeNames,
  refreshProfileAttributeNames,
  upsertProfiles,
  validateProfileInput,
} from '../../core/profiles/store.ts';
import { runProfilesImportCommand } from '../../scripts/lib/profiles-import-command.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'outbound-import-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});
beforeEach(async () => {
  await database.sql`truncate profiles`;
  await database.sql`delete from settings where key = ${ATTRIBUTE_NAMES_KEY}`;
});

async function profilesInDb(): Promise<Record<string, Record<string, unknown>>> {
  const rows = await database.sql<{ customer_id: string; attributes: Record<string, unknown> }[]>`
    select customer_id, attributes from profiles order by customer_id`;
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.attributes]));
}

const tricky = [
  '\uFEFFcustomer_id,Email,Note,Age',
  'a1,a1@x.com,"multi',
  'line',
  'note",30',
  'a2,a2@x.com,"has ""quotes"", and commas",',
  ',missing@x.com,no id,1',
  'a3,a3@x.com,too,many,columns',
  'a4,a4@x.com,"bad"quote,5',
  'a5,Árvíztűrő@x.com,"crlf ok",7\r',
  'a6,,,',
  '',
  'a7,"a7@x.com","spans',
  'two lines",8',
  'a8,a8@x.com,o"ops,9',
  'a9,a9@x.com,"unterminated,10',
  'a10,a10@x.com,x,11',
].join('\n');

describe('importProfiles from CSV', () => {
  test.each([1 << 20, 7, 1])(
    'quoted fields, embedded newlines and bad rows by line (reads of %i bytes)',
    async (chunkBytes) => {
      const progress: number[][] = [];
      const path = file('tricky.csv', tricky);
      const result = await importProfiles(database.sql, path, {
        chunkBytes,
        batchRows: 2,
        onProgress: (rows, bytes, total) => progress.push([rows, bytes, total]),
      });
      expect(result.badRows).toEqual([
        { line: 6, reason: expect.stringMatching(/^customer_id must be a non-empty string/) },
        { line: 7, reason: 'expected 4 columns as in the header, found 5' },
        { line: 8, reason: 'unexpected text after a closing quote on line 8' },
        { line: 14, reason: expect.stringMatching(/a quote inside an unquoted field/) },
        { line: 15, reason: 'a quoted field opened on line 15 is never closed' },
      ]);
      expect(result.badRowCount).toBe(5);
      expect(result.imported).toBe(5);
      expect(await profilesInDb()).toEqual({
        a1: { Email: 'a1@x.com', Note: 'multi\nline\nnote', Age: '30' },
        a2: { Email: 'a2@x.com', Note: 'has "quotes", and commas' },
        a5: { Email: 'Árvíztűrő@x.com', Note: 'crlf ok', Age: '7' },
        a6: {},
        a7: { Email: 'a7@x.com', Note: 'spans\ntwo lines', Age: '8' },
      });
      const size = Buffer.byteLength(tricky);
      expect(progress.at(-1)).toEqual([10, size, size]);
      if (chunkBytes === 1) expect(progress.length).toBeGreaterThan(3);
    },
  );

  test('CRLF files, a customerId header and values that need COPY escaping', async () => {
    const csv = 'Name,customerId,Path\r\nTab\there,c1,C:\\dir\\file\r\n"Two\r\nlines",c2,"\\N"\r\n';
    const result = await importProfiles(database.sql, file('crlf.csv', csv));
    expect(result).toMatchObject({ imported: 2, badRowCount: 0 });
    expect(await profilesInDb()).toEqual({
      c1: { Name: 'Tab\there', Path: 'C:\\dir\\file' },
      c2: { Name: 'Two\r\nlines', Path: '\\N' },
    });
  });

  test('a customer id repeated in the file: the last row wins', async () => {
    const path = file(
      'dupes.csv',
      'customer_id,Email,Tier\nd1,first@x.com,gold\nd2,x@x.com,\nd1,second@x.com,\n',
    );
    const result = await importProfiles(database.sql, path);
    expect(result.imported).toBe(2);
    expect(await profilesInDb()).toEqual({ d1: { Email: 'second@x.com' }, d2: { Email: 'x@x.com' } });
  });

  test('re-importing replaces attributes and bumps updated_at', async () => {
    await importProfiles(
      database.sql,
      file('v1.csv', 'customer_id,Email,Tier\nr1,old@x.com,gold\nr2,keep@x.com,\n'),
    );
    const updatedAt = async () =>
      (
        await database.sql`select extract(epoch from updated_at)::float8 as t from profiles where customer_id = 'r1'`
      )[0]?.t;
    const before = await updatedAt();
    await new Promise((r) => setTimeout(r, 20));
    const result = await importProfiles(
      database.sql,
      file('v2.csv', 'customer_id,Email,Phone\nr1,new@x.com,+361\n'),
    );
    expect(result.imported).toBe(1);
    expect(await profilesInDb()).toEqual({
      r1: { Email: 'new@x.com', Phone: '+361' },
      r2: { Email: 'keep@x.com' },
    });
    expect(await updatedAt()).toBeGreaterThan(before);
  });

  test.each([
    ['missing.csv', null, /cannot read .*missing\.csv: no such file/],
    ['profiles.xlsx', 'x', /unsupported file type "\.xlsx"/],
    ['empty.csv', '', /the file is empty/],
    ['no-id.csv', 'id,Email\n1,a@x.com\n', /line 1: the header row needs exactly one customer_id/],
    ['two-ids.csv', 'customer_id,customerId\n1,2\n', /found 2/],
    ['dup-column.csv', 'customer_id,Email,Email\n1,a,b\n', /line 1: column "Email" appears twice/],
    [
      'blank-column.csv',
      'customer_id,,Email\n1,a,b\n',
      /line 1: column 2: attribute names must be non-empty/,
    ],
    ['bad-header.csv', 'customer_id,"Email\n1,a\n', /line 1: cannot read the header row/],
  ])('%s cannot be imported and writes nothing', async (name, content, message) => {
    await upsertProfiles(database.sql, [{ customerId: 'existing', attributes: { A: '1' } }]);
    const path = content === null ? join(dir, name) : file(name, content);
    const error = await importProfiles(database.sql, path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(message);
    expect(Object.keys(await profilesInDb())).toEqual(['existing']);
  });

  test('a directory cannot be imported', async () => {
    mkdirSync(join(dir, 'folder.csv'));
    const error = await importProfiles(database.sql, join(dir, 'folder.csv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(/folder\.csv: not a regular file/);
  });
});

describe('importProfiles from NDJSON', () => {
  test('typed attributes, bad lines by number, last duplicate wins', async () => {
    const lines = [
      '{"customerId":"n1","attributes":{"Email":"n1@x.com","Age":31,"Tags":["a","b"],"Vip":true}}',
      '{"customerId":"n2","attributes":{"Email":"n2@x.com"}',
      '   ',
      '{"customerId":"","attributes":{}}',
      '{"customerId":"n3","attributes":{"Nested":{"x":1}}}',
      '{"customerId":"n4","attributes":{},"extra":1}',
      '[1,2]',
      '{"customerId":"n5","attributes":{"Email":"n5@x.com","Gone":null,"Quote":"a\\"b\\\\c\\td"}}\r',
      '{"customerId":"n1","attributes":{"Email":"n1-new@x.com"}}',
    ];
    for (const [name, chunkBytes] of [
      ['p.ndjson', 1 << 20],
      ['p.jsonl', 5],
    ] as const) {
      await database.sql`truncate profiles`;
      const result = await importProfiles(database.sql, file(name, lines.join('\n')), { chunkBytes });
      expect(result.badRows).toEqual([
        { line: 2, reason: expect.stringMatching(/^invalid JSON: /) },
        { line: 4, reason: expect.stringMatching(/^customerId must be a non-empty string/) },
        {
          line: 5,
          reason: 'attribute "Nested" must be a string, number, boolean, null or an array of those',
        },
        { line: 6, reason: 'unknown field "extra" (expected customerId and attributes)' },
        { line: 7, reason: 'expected an object {customerId, attributes}' },
      ]);
      expect(result.imported).toBe(2);
      expect(await profilesInDb()).toEqual({
        n1: { Email: 'n1-new@x.com' },
        n5: { Email: 'n5@x.com', Gone: null, Quote: 'a"b\\c\td' },
      });
    }
  });
});

describe('upsertProfiles', () => {
  test('inserts, replaces and lets the last duplicate win', async () => {
    expect(
      await upsertProfiles(database.sql, [
        { customerId: 'u1', attributes: { Email: 'a@x.com', Age: 3, Tags: ['x', 1, true, null] } },
        { customerId: 'u2', attributes: {} },
        { customerId: 'u1', attributes: { Email: 'b@x.com' } },
      ]),
    ).toBe(2);
    await upsertProfiles(database.sql, [{ customerId: 'u2', attributes: { Vip: false } }]);
    expect(await profilesInDb()).toEqual({ u1: { Email: 'b@x.com' }, u2: { Vip: false } });
    expect(await upsertProfiles(database.sql, [])).toBe(0);
  });

  test('rejects the whole call when one profile is invalid', async () => {
    const error = await upsertProfiles(database.sql, [
      { customerId: 'ok', attributes: {} },
      { customerId: 'bad', attributes: { Address: { city: 'Pécs' } } },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileInputError);
    expect((error as ProfileInputError).field).toBe('profiles[1].attributes.Address');
    expect(await profilesInDb()).toEqual({});
  });

  test.each([
    [{ customerId: 'a', attributes: { Email: 'x', Tags: ['a', 2] } }, null],
    [
      { customerId: '', attributes: {} },
      /^profiles\[4\]\.customerId: customerId must be a non-empty string of at most 200/,
    ],
    [{ customerId: '   ', attributes: {} }, /^profiles\[4\]\.customerId: /],
    [{ customerId: 'x'.repeat(201), attributes: {} }, /at most 200 characters/],
    [{ customerId: 7, attributes: {} }, /^profiles\[4\]\.customerId: /],
    [{ customerId: 'a\u0000b', attributes: {} }, /NUL/],
    [{ customerId: 'a' }, /^profiles\[4\]\.attributes: attributes must be an object/],
    [{ customerId: 'a', attributes: [1] }, /^profiles\[4\]\.attributes: /],
    [{ customerId: 'a', attributes: {}, email: 'x' }, /^profiles\[4\]\.email: unknown field "email"/],
    [
      { customerId: 'a', attributes: { '': 1 } },
      /^profiles\[4\]\.attributes: attribute names must be non-empty/,
    ],
    [{ customerId: 'a', attributes: { ['n'.repeat(201)]: 1 } }, /at most 200 characters/],
    [
      { customerId: 'a', attributes: { A: { b: 1 } } },
      /^profiles\[4\]\.attributes\.A: attribute "A" must be/,
    ],
    [{ customerId: 'a', attributes: { A: [[1]] } }, /^profiles\[4\]\.attributes\.A: /],
    [{ customerId: 'a', attributes: { A: Number.NaN } }, /^profiles\[4\]\.attributes\.A: /],
    [{ customerId: 'a', attributes: { A: 'x\u0000' } }, /^profiles\[4\]\.attributes\.A: /],
    ['nope', /^profiles\[4\]: expected an object/],
  ])('validateProfileInput(%j)', (input, expected) => {
    const message = validateProfileInput(input, 4);
    if (expected === null) expect(message).toBeNull();
    else expect(message).toMatch(expected);
  });
});

describe('profileAttributeNames', () => {
  test('builds from the table, then follows upserts and imports; refresh drops stale names', async () => {
    await database.sql`
      insert into profiles (customer_id, attributes)
      values ('s1', '{"Zeta": 1, "alpha": 2}'), ('s2', '{"Country": "HU", "Zeta": null}')`;
    expect(await profileAttributeNames(database.sql)).toEqual(['Country', 'Zeta', 'alpha']);

    await upsertProfiles(database.sql, [{ customerId: 's1', attributes: { Email: 'e' } }]);
    expect(await profileAttributeNames(database.sql)).toEqual(['Country', 'Email', 'Zeta', 'alpha']);

    await importProfiles(database.sql, file('names.csv', 'customer_id,Phone,Unused\ns3,+36,\n'));
    await importProfiles(
      database.sql,
      file('names.ndjson', '{"customerId":"s4","attributes":{"Tier":"gold"}}\n'),
    );
    expect(await profileAttributeNames(database.sql)).toEqual([
      'Country',
      'Email',
      'Phone',
      'Tier',
      'Zeta',
      'alpha',
    ]);

    // s1 no longer has Zeta or alpha, but s2 still has Zeta.
    expect(await refreshProfileAttributeNames(database.sql)).toEqual([
      'Country',
      'Email',
      'Phone',
      'Tier',
      'Zeta',
    ]);
    expect(await profileAttributeNames(database.sql)).toEqual(['Country', 'Email', 'Phone', 'Tier', 'Zeta']);
  });

  test('an empty table has no names, and that is not cached', async () => {
    expect(await profileAttributeNames(database.sql)).toEqual([]);
    await database.sql`insert into profiles (customer_id, attributes) values ('x', '{"Late": 1}')`;
    expect(await profileAttributeNames(database.sql)).toEqual(['Late']);
  });
});

describe('runProfilesImportCommand', () => {
  const capture = (isTTY: boolean) => {
    const out = Object.assign(new PassThrough(), { isTTY });
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    return { out, text: () => text };
  };

  test('prints progress, the summary and the first 20 bad rows', async () => {
    const rows = ['customer_id,Email'];
    for (let i = 0; i < 30; i++) rows.push(`ok${i},e${i}@x.com`);
    for (let i = 0; i < 25; i++) rows.push(`,no-id${i}@x.com`);
    const { out, text } = capture(false);
    expect(await runProfilesImportCommand(database.sql, file('cmd.csv', rows.join('\n')), out)).toBe(true);
    const lines = text().trimEnd().split('\n');
    expect(lines).toContain('Imported 30 profiles; 25 bad rows');
    expect(lines).toContain('100% read, 55 rows');
    const bad = lines.filter((l) => l.startsWith('line '));
    expect(bad).toHaveLength(20);
    expect(bad[0]).toMatch(/^line 32: customer_id must be a non-empty string/);
    expect(bad[19]).toMatch(/^line 51: /);
    expect(lines.at(-1)).toBe('… and 5 more');
  });

  test('draws a bar on a TTY', async () => {
    const { out, text } = capture(true);
    await runProfilesImportCommand(database.sql, file('tty.csv', 'customer_id\nt1\n'), out);
    expect(text()).toContain(`\r[${'#'.repeat(30)}] 100%  1 rows`);
    expect(text()).toContain('\nImported 1 profiles; 0 bad rows\n');
  });

  test('returns false when the file cannot be read', async () => {
    const { out, text } = capture(false);
    expect(await runProfilesImportCommand(database.sql, join(dir, 'nope.csv'), out)).toBe(false);
    expect(text()).toMatch(
      /^Import failed: cannot read .*nope\.csv: no such file\nNothing was imported\.\n$/,
    );
  });
});
