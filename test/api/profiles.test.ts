import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ATTRIBUTE_NAMES_KEY } from '../../core/profiles/store.ts';
import { createUserWithToken } from '../../core/users.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { tokenFor, upsertProfilesDoc as upsertDoc } from './helpers.ts';

let outbound: Outbound;
let viewerToken: string;
let contributorToken: string;
let profileWriterToken: string;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  viewerToken = await tokenFor(outbound, 'VIEWER');
  contributorToken = await tokenFor(outbound, 'CONTRIBUTOR');
  profileWriterToken = (
    await createUserWithToken(outbound.sql, 'writer@outbound.test', 'CONTRIBUTOR', { canWriteProfiles: true })
  ).token;
});

afterAll(async () => {
  await outbound?.close();
});

beforeEach(async () => {
  await outbound.sql`truncate profiles`;
  await outbound.sql`delete from settings where key = ${ATTRIBUTE_NAMES_KEY}`;
});

async function stored(): Promise<Record<string, Record<string, unknown>>> {
  const rows = await outbound.sql<{ customer_id: string; attributes: Record<string, unknown> }[]>`
    select customer_id, attributes from profiles order by customer_id`;
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.attributes]));
}

const attributeNames = async (token?: string) =>
  (await outbound.gql<{ profileAttributes: string[] }>('{ profileAttributes }', {}, token)).profileAttributes;

describe('upsertProfiles', () => {
  test('creates and replaces profiles; the last entry of a repeated customer id wins', async () => {
    const first = await outbound.gql(upsertDoc, {
      p: [
        {
          customerId: 'c1',
          attributes: { Email: 'one@example.com', Age: 30, Vip: true, Tags: ['a', 'b'], Nick: null },
        },
        { customerId: 'c2', attributes: { Email: 'two@example.com' } },
      ],
    });
    expect(first.upsertProfiles).toBe(2);
    const second = await outbound.gql(
      upsertDoc,
      {
        p: [
          { customerId: 'c2', attributes: { Email: 'old@example.com' } },
          { customerId: 'c3', attributes: {} },
          { customerId: 'c2', attributes: { Country: 'HU' } },
        ],
      },
      profileWriterToken,
    );
    expect(second.upsertProfiles).toBe(2);
    expect(await stored()).toEqual({
      c1: { Email: 'one@example.com', Age: 30, Vip: true, Tags: ['a', 'b'], Nick: null },
      // Replaced, not merged: a profile is what the source system says it is now.
      c2: { Country: 'HU' },
      c3: {},
    });
  });

  test.each([
    ['an empty list', [], 'profiles'],
    [
      'an empty customer id',
      [
        { customerId: 'ok', attributes: {} },
        { customerId: '', attributes: {} },
      ],
      'profiles[1].customerId',
    ],
    ['a blank customer id', [{ customerId: '   ', attributes: {} }], 'profiles[0].customerId'],
    [
      'a customer id over 200 characters',
      [{ customerId: 'x'.repeat(201), attributes: {} }],
      'profiles[0].customerId',
    ],
    ['a NUL in a customer id', [{ customerId: 'a\u0000b', attributes: {} }], 'profiles[0].customerId'],
    [
      'attributes that are not an object',
      [{ customerId: 'c1', attributes: ['Email'] }],
      'profiles[0].attributes',
    ],
    ['attributes as text', [{ customerId: 'c1', attributes: '{"Email":"a@b.c"}' }], 'profiles[0].attributes'],
    [
      'a nested object value',
      [{ customerId: 'c1', attributes: { Address: { City: 'Budapest' } } }],
      'profiles[0].attributes.Address',
    ],
    [
      'an array of objects',
      [{ customerId: 'c1', attributes: { Tags: [{ a: 1 }] } }],
      'profiles[0].attributes.Tags',
    ],
    [
      'a NUL in a value',
      [{ customerId: 'c1', attributes: { Note: 'a\u0000b' } }],
      'profiles[0].attributes.Note',
    ],
    [
      'half of a surrogate pair in a value (a cut emoji)',
      [{ customerId: 'c1', attributes: { Note: 'cut \ud83d' } }],
      'profiles[0].attributes.Note',
    ],
    ['an empty attribute name', [{ customerId: 'c1', attributes: { '': 'x' } }], 'profiles[0].attributes'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_name, p, field) => {
    const result = await outbound.graphql(upsertDoc, { p });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(await stored()).toEqual({});
  });

  test('refuses more than 1,000 profiles in one call', async () => {
    const p = Array.from({ length: 1_001 }, (_, i) => ({ customerId: `c${i}`, attributes: {} }));
    const result = await outbound.graphql(upsertDoc, { p });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'profiles' });
    expect(result.errors?.[0]?.message).toMatch(/at most 1000/);
    expect(await stored()).toEqual({});
    expect((await outbound.gql(upsertDoc, { p: p.slice(0, 1_000) })).upsertProfiles).toBe(1_000);
  });

  test('is all or nothing: one bad profile and no profile of the call is written or changed', async () => {
    await outbound.gql(upsertDoc, { p: [{ customerId: 'c1', attributes: { Email: 'kept@example.com' } }] });
    const result = await outbound.graphql(upsertDoc, {
      p: [
        { customerId: 'c1', attributes: { Email: 'changed@example.com' } },
        { customerId: 'c2', attributes: { Email: 'new@example.com' } },
        { customerId: 'c3', attributes: { Email: { nested: true } } },
      ],
    });
    expect(result.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'profiles[2].attributes.Email',
    });
    expect(await stored()).toEqual({ c1: { Email: 'kept@example.com' } });
    expect(await attributeNames()).toEqual(['Email']);
  });

  test('needs an ADMIN or a CONTRIBUTOR an admin granted it', async () => {
    const p = [{ customerId: 'c1', attributes: {} }];
    for (const token of [viewerToken, contributorToken]) {
      expect((await outbound.graphql(upsertDoc, { p }, token)).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );
    }
    expect((await outbound.graphql(upsertDoc, { p }, null)).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(await stored()).toEqual({});
  });
});

describe('profileAttributes', () => {
  test('lists the attribute names of all profiles, sorted, and learns new ones as profiles arrive', async () => {
    expect(await attributeNames()).toEqual([]);
    await outbound.gql(upsertDoc, {
      p: [
        { customerId: 'c1', attributes: { Email: 'a@example.com', Country: 'HU' } },
        { customerId: 'c2', attributes: { Email: 'b@example.com', nickname: 'b' } },
      ],
    });
    // Byte order: upper case first, the same on every server locale.
    expect(await attributeNames()).toEqual(['Country', 'Email', 'nickname']);
    await outbound.gql(upsertDoc, {
      p: [{ customerId: 'c3', attributes: { Age: 40, Email: 'c@example.com' } }],
    });
    expect(await attributeNames(viewerToken)).toEqual(['Age', 'Country', 'Email', 'nickname']);
    const anonymous = await outbound.graphql('{ profileAttributes }', {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('includes profiles written behind the API (bulk import, fixtures) when nothing was cached yet', async () => {
    await outbound.sql`insert into profiles (customer_id, attributes) values ('x1', '{"Zip": "1011", "City": "Budapest"}')`;
    expect(await attributeNames()).toEqual(['City', 'Zip']);
  });
});
