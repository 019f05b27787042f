import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  compileSegmentRule,
  parseSegmentRule,
  SegmentRuleError,
  segmentMembersSelect,
} from '../../core/segments/segment-rule.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const INJECTION = "'); drop table profiles; --";

const seed: Record<string, Record<string, unknown>> = {
  p01: {
    Country: 'HU',
    Age: 30,
    Vip: true,
    Tags: ['vip', 'beta'],
    Email: 'anna@example.com',
    Signup: '2024-01-15',
  },
  p02: { Country: 'DE', Age: 25, Vip: false, Tags: ['beta'], Email: 'bob@example.com', Signup: '2023-06-01' },
  p03: { Country: 'hu', Age: '30', Email: 'CARL@EXAMPLE.COM' },
  p04: { Country: 'US', Age: 45.5, Vip: 'TRUE' },
  p05: { Country: null, Age: null },
  p06: {},
  p07: { Country: 'HU', Age: 'abc', Score: '12.50' },
  p08: { Country: 'FR', Age: 18, Tags: [1, 2, 3] },
  p09: { Country: 'HU', Name: '50% off_deal' },
  p10: { Name: 'a\\b' },
  p11: { Name: "O'Brien" },
  p12: { Name: INJECTION },
  p13: { [INJECTION]: 'x' },
  p14: { 'weird key %_': 'y' },
  p15: { Country: 'US', Age: 5, Tags: ['VIP'] },
  p16: { Age: -3, Score: 1000 },
  p17: { Age: ' 42 ', Country: 'GB' },
  p18: { Vip: 'false', Age: 100 },
  p19: { Signup: '2024-12-31T10:00:00Z', Country: 'HU' },
  p20: { Signup: 20240101 },
  p21: { Tags: 'vip list' },
  p22: { Tags: [] },
  p23: { Country: ['HU'] },
  p24: { Country: { code: 'HU' } },
  p25: { Age: 30.5 },
  p26: { Age: '3e1' },
  p27: { Name: '100%' },
  p28: { Name: '100 percent' },
  p29: { Name: 'x_y' },
  p30: { Name: 'xzy' },
};
const allIds = Object.keys(seed).sort();
const except = (...ids: string[]) => allIds.filter((id) => !ids.includes(id));

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  const rows = Object.entries(seed).map(([customerId, attributes]) => ({ customerId, attributes }));
  await database.sql`
    insert into profiles (customer_id, attributes)
    select r->>'customerId', r->'attributes' from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) r`;
});
afterAll(() => database.drop());

async function members(rule: unknown): Promise<string[]> {
  const where = compileSegmentRule(parseSegmentRule(rule));
  const rows = await database.db.execute<{ customer_id: string }>(
    sql`select customer_id from profiles where ${where} order by customer_id`,
  );
  return rows.map((r) => r.customer_id);
}

const cond = (attribute: string, op: string, value?: unknown) =>
  value === undefined ? { attribute, op } : { attribute, op, value };

describe('compileSegmentRule selects exactly the matching profiles', () => {
  test.each([
    [
      'EQ string compares the text form of scalars',
      cond('Country', 'EQ', 'HU'),
      ['p01', 'p07', 'p09', 'p19'],
    ],
    ['EQ string matches numbers by their text', cond('Age', 'EQ', '30'), ['p01', 'p03']],
    ['EQ number matches numbers and numeric strings', cond('Age', 'EQ', 30), ['p01', 'p03', 'p26']],
    ['EQ true matches booleans and "true" strings', cond('Vip', 'EQ', true), ['p01', 'p04']],
    ['EQ false', cond('Vip', 'EQ', false), ['p02', 'p18']],
    ['NEQ includes missing and null', cond('Country', 'NEQ', 'HU'), except('p01', 'p07', 'p09', 'p19')],
    ['NEQ number', cond('Age', 'NEQ', 30), except('p01', 'p03', 'p26')],
    ['IN strings', cond('Country', 'IN', ['HU', 'DE', 'GB']), ['p01', 'p02', 'p07', 'p09', 'p17', 'p19']],
    ['IN mixed strings and numbers', cond('Age', 'IN', [25, 45.5, '18']), ['p02', 'p04', 'p08']],
    [
      'CONTAINS is a case-insensitive substring',
      cond('Email', 'CONTAINS', 'example.COM'),
      ['p01', 'p02', 'p03'],
    ],
    ['CONTAINS string on arrays and strings', cond('Tags', 'CONTAINS', 'vip'), ['p01', 'p15', 'p21']],
    ['CONTAINS number on arrays', cond('Tags', 'CONTAINS', 2), ['p08']],
    ['CONTAINS % is literal', cond('Name', 'CONTAINS', '%'), ['p09', 'p27']],
    ['CONTAINS _ is literal', cond('Name', 'CONTAINS', '_'), ['p09', 'p29']],
    ['CONTAINS backslash is literal', cond('Name', 'CONTAINS', '\\'), ['p10']],
    ['CONTAINS quote is literal', cond('Name', 'CONTAINS', "'"), ['p11', 'p12']],
    ['GT number', cond('Age', 'GT', 29), ['p01', 'p03', 'p04', 'p17', 'p18', 'p25', 'p26']],
    ['GTE number', cond('Age', 'GTE', 45.5), ['p04', 'p18']],
    ['LT number', cond('Age', 'LT', 18), ['p15', 'p16']],
    ['LTE number', cond('Age', 'LTE', 18), ['p08', 'p15', 'p16']],
    ['GTE number on numeric strings', cond('Score', 'GTE', 12.5), ['p07', 'p16']],
    ['GT string compares ISO dates as text', cond('Signup', 'GT', '2024-01-01'), ['p01', 'p19']],
    ['LT string', cond('Signup', 'LT', '2024'), ['p02']],
    ['LTE string', cond('Signup', 'LTE', '2024-01-15'), ['p01', 'p02']],
    ['GTE string', cond('Signup', 'GTE', '2024-01-15'), ['p01', 'p19']],
    [
      'EXISTS ignores null',
      cond('Country', 'EXISTS'),
      ['p01', 'p02', 'p03', 'p04', 'p07', 'p08', 'p09', 'p15', 'p17', 'p19', 'p23', 'p24'],
    ],
    [
      'NOT_EXISTS',
      cond('Country', 'NOT_EXISTS'),
      except('p01', 'p02', 'p03', 'p04', 'p07', 'p08', 'p09', 'p15', 'p17', 'p19', 'p23', 'p24'),
    ],
    [
      'nested all / any',
      {
        all: [
          cond('Country', 'IN', ['HU', 'US']),
          { any: [cond('Age', 'GTE', 40), cond('Tags', 'CONTAINS', 'vip')] },
        ],
      },
      ['p01', 'p04', 'p15'],
    ],
    [
      'any of all',
      { any: [{ all: [cond('Country', 'EQ', 'HU'), cond('Name', 'EXISTS')] }, cond('Vip', 'EQ', false)] },
      ['p02', 'p09', 'p18'],
    ],
    [
      'static list keeps only existing profiles',
      { customerIds: ['p30', 'p03', 'nope', 'p05'] },
      ['p03', 'p05', 'p30'],
    ],
  ])('%s', async (_name, rule, expected) => {
    expect(await members(rule)).toEqual(expected);
  });

  test('injection attempts are plain values and attribute names', async () => {
    expect(await members(cond('Name', 'EQ', INJECTION))).toEqual(['p12']);
    expect(await members(cond('Name', 'CONTAINS', INJECTION))).toEqual(['p12']);
    expect(await members(cond(INJECTION, 'EQ', 'x'))).toEqual(['p13']);
    expect(await members(cond(INJECTION, 'GT', 0))).toEqual([]);
    expect(await members(cond('weird key %_', 'EXISTS'))).toEqual(['p14']);
    expect(await members(cond('%', 'EXISTS'))).toEqual([]);
    expect(await members(cond('Name', 'IN', [INJECTION, "O'Brien", 'a\\b']))).toEqual(['p10', 'p11', 'p12']);
    expect(await members({ customerIds: [INJECTION, "p01'--"] })).toEqual([]);
    const [count] = await database.sql`select count(*)::int as n from profiles`;
    expect(count?.n).toBe(30);
  });

  test('the alias qualifies the columns', async () => {
    const where = compileSegmentRule(parseSegmentRule({ all: [cond('Country', 'EQ', 'DE')] }), 'p');
    const rows = await database.db.execute<{ customer_id: string }>(
      sql`select p.customer_id from profiles p join profiles q using (customer_id) where ${where}`,
    );
    expect(rows.map((r) => r.customer_id)).toEqual(['p02']);
  });
});

describe('segmentMembersSelect', () => {
  test('inserts the members of a generation in one statement', async () => {
    const [segment] = await database.sql<{ id: string }[]>`
      insert into segments (name, rule) values ('hu', '{}') returning id`;
    const id = segment?.id ?? '';
    await database.db.execute(
      sql`insert into segment_members (segment_id, generation, customer_id) ${segmentMembersSelect(
        parseSegmentRule(cond('Country', 'EQ', 'HU')),
        id,
        1,
      )}`,
    );
    await database.db.execute(
      sql`insert into segment_members (segment_id, generation, customer_id) ${segmentMembersSelect(
        parseSegmentRule({ customerIds: ['p02', 'missing'] }),
        id,
        2,
      )}`,
    );
    const rows = await database.sql`
      select generation, customer_id from segment_members where segment_id = ${id} order by 1, 2`;
    expect(rows.map((r) => [r.generation, r.customer_id])).toEqual([
      [1, 'p01'],
      [1, 'p07'],
      [1, 'p09'],
      [1, 'p19'],
      [2, 'p02'],
    ]);
  });
});

describe('parseSegmentRule', () => {
  const nest = (levels: number): unknown =>
    levels === 0 ? cond('a', 'EXISTS') : { all: [nest(levels - 1)] };

  test.each([
    [
      'unknown op deep inside',
      { all: [cond('a', 'EQ', 1), { any: [cond('b', 'LIKE', 'x')] }] },
      'rule.all[1].any[0].op',
      /unknown op "LIKE"/,
    ],
    ['lower-case op', cond('a', 'eq', 1), 'rule.op', /expected one of EQ, NEQ/],
    ['missing op', { attribute: 'a' }, 'rule.op', /op is required/],
    [
      'unknown key',
      { all: [{ ...cond('a', 'EQ', 1), extra: 1 }] },
      'rule.all[0].extra',
      /unknown key "extra"/,
    ],
    ['all and any together', { all: [cond('a', 'EXISTS')], any: [] }, 'rule.any', /unknown key/],
    ['empty all', { all: [] }, 'rule.all', /at least one condition/],
    ['empty any deep', { all: [{ any: [] }] }, 'rule.all[0].any', /at least one/],
    ['all not an array', { all: {} }, 'rule.all', /expected an array/],
    ['not an object', 'Country = HU', 'rule', /expected a condition/],
    ['null', null, 'rule', /got null/],
    ['empty object', {}, 'rule', /expected a condition/],
    ['IN empty', cond('a', 'IN', []), 'rule.value', /non-empty array/],
    ['IN not an array', cond('a', 'IN', 'x'), 'rule.value', /non-empty array/],
    ['IN with a boolean', cond('a', 'IN', ['x', true]), 'rule.value[1]', /strings or numbers/],
    ['EQ without value', cond('a', 'EQ'), 'rule.value', /EXISTS \/ NOT_EXISTS/],
    ['EQ null', cond('a', 'EQ', null), 'rule.value', /needs a string, number or boolean/],
    ['EQ object', cond('a', 'EQ', { x: 1 }), 'rule.value', /got an object/],
    ['GT boolean', cond('a', 'GT', true), 'rule.value', /string or number/],
    ['LTE array', cond('a', 'LTE', [1]), 'rule.value', /got an array/],
    ['CONTAINS empty', cond('a', 'CONTAINS', ''), 'rule.value', /non-empty/],
    ['EXISTS with value', cond('a', 'EXISTS', 1), 'rule.value', /takes no value/],
    ['empty attribute', cond('', 'EQ', 1), 'rule.attribute', /non-empty string/],
    ['long attribute', cond('x'.repeat(201), 'EQ', 1), 'rule.attribute', /at most 200/],
    ['numeric attribute', { attribute: 5, op: 'EQ', value: 1 }, 'rule.attribute', /expected a string/],
    ['missing attribute', { op: 'EQ', value: 1 }, 'rule.attribute', /required/],
    ['too deep', nest(11), `rule${'.all[0]'.repeat(10)}`, /at most 10 levels/],
    ['static empty', { customerIds: [] }, 'rule.customerIds', /at least one/],
    ['static bad id', { customerIds: ['a', ''] }, 'rule.customerIds[1]', /non-empty/],
    ['static numeric id', { customerIds: ['a', 7] }, 'rule.customerIds[1]', /expected a string/],
    ['static extra key', { customerIds: ['a'], all: [] }, 'rule.all', /unknown key/],
    [
      'static nested',
      { all: [{ customerIds: ['a'] }] },
      'rule.all[0].customerIds',
      /only allowed as the whole rule/,
    ],
    [
      'static too long',
      { customerIds: Array.from({ length: 100_001 }, (_, i) => `c${i}`) },
      'rule.customerIds',
      /at most 100000/,
    ],
    [
      'over the condition budget',
      { any: Array.from({ length: 101 }, (_, i) => cond('Name', 'CONTAINS', `x${i}`)) },
      'rule.any[100]',
      /at most 100 conditions, because every refresh tests each of them against every profile; split the rule/,
    ],
    [
      'over the condition budget across groups',
      {
        all: [
          { any: Array.from({ length: 60 }, () => cond('a', 'EXISTS')) },
          { any: Array.from({ length: 41 }, () => cond('b', 'EXISTS')) },
        ],
      },
      'rule.all[1].any[40]',
      /at most 100 conditions/,
    ],
    [
      'over the IN budget across conditions',
      {
        all: [
          cond(
            'a',
            'IN',
            Array.from({ length: 6_000 }, (_, i) => i),
          ),
          cond(
            'b',
            'IN',
            Array.from({ length: 4_001 }, (_, i) => `v${i}`),
          ),
        ],
      },
      'rule.all[1].value',
      /IN conditions take at most 10000 values together/,
    ],
    ['a long value', cond('a', 'CONTAINS', 'x'.repeat(1_001)), 'rule.value', /at most 1000 characters/],
    [
      'a long IN value',
      cond('a', 'IN', ['x', 'y'.repeat(1_001)]),
      'rule.value[1]',
      /at most 1000 characters/,
    ],
  ])('%s', (_name, input, path, message) => {
    let error: unknown;
    try {
      parseSegmentRule(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SegmentRuleError);
    expect((error as SegmentRuleError).path).toBe(path);
    expect((error as SegmentRuleError).message).toMatch(message);
    expect((error as SegmentRuleError).message.startsWith(`${path}: `)).toBe(true);
  });

  test('accepts the limits and returns a clean copy', () => {
    expect(() => parseSegmentRule(nest(10))).not.toThrow();
    const ids = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
    expect(parseSegmentRule({ customerIds: ids })).toEqual({ customerIds: ids });
    const rule = {
      all: [cond('Country', 'EQ', 'HU'), { any: [cond('Age', 'GT', 3), cond('Tags', 'NOT_EXISTS')] }],
    };
    expect(parseSegmentRule(JSON.parse(JSON.stringify(rule)))).toEqual(rule);
    const atTheBudget = {
      any: [
        ...Array.from({ length: 98 }, (_, i) => cond('Name', 'CONTAINS', `${i}`.padEnd(1_000, 'x'))),
        cond(
          'a',
          'IN',
          Array.from({ length: 5_000 }, (_, i) => i),
        ),
        cond(
          'b',
          'IN',
          Array.from({ length: 5_000 }, (_, i) => `v${i}`),
        ),
      ],
    };
    expect(parseSegmentRule(atTheBudget)).toEqual(atTheBudget);
  });
});
