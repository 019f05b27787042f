import { expect, test } from 'vitest';
import type { BulkContact } from '../../../core/activecampaign/types.ts';
import {
  type Chunk,
  maxContactsPerImport,
  maxImportBytes,
  planChunks,
} from '../../../core/export-run/chunk-plan.ts';
import type { Change, MappedProfile } from '../../../core/export-run/contact-mapper.ts';

const id = (i: number) => `c${String(i).padStart(6, '0')}`;

function profile(i: number, contact: Partial<BulkContact> = {}, change: Change = 'add'): MappedProfile {
  const full = { email: `user${i}@example.com`, subscribe: [{ listid: 7 }], ...contact };
  return {
    customerId: id(i),
    contact: full,
    json: JSON.stringify(full),
    change,
    hash: `h${i}`,
    previousEmail: null,
    contactId: null,
  };
}

const page = (n: number, make: (i: number) => MappedProfile = (i) => profile(i)) =>
  Array.from({ length: n }, (_, i) => make(i));
/** The request body the client sends for a chunk. */
const requestBytes = (chunk: Chunk) =>
  Buffer.byteLength(
    JSON.stringify({ contacts: chunk.contacts.map((c) => c.contact), exclude_automations: false }),
  );
const emails = (chunk: Chunk) => chunk.contacts.map((c) => c.contact.email);

/** Every profile of the page lands in exactly one chunk, in order, and the chunks tile the keyset range. */
function expectTiling(chunks: Chunk[], input: MappedProfile[]) {
  const seen = chunks.flatMap((c) => [
    ...c.contacts.map((x) => x.customerId),
    ...c.rejects.map((r) => r.customerId),
  ]);
  const unchanged = chunks.reduce((n, c) => n + c.unchanged, 0);
  expect(seen.length + unchanged).toBe(input.length);
  expect(new Set(seen).size).toBe(seen.length);
  expect(chunks[0]?.firstCustomerId).toBe(input[0]?.customerId);
  expect(chunks.at(-1)?.lastCustomerId).toBe(input.at(-1)?.customerId);
  chunks.forEach((c, i) => {
    expect(c.firstCustomerId <= c.lastCustomerId).toBe(true);
    const next = chunks[i + 1];
    if (next) expect(c.lastCustomerId < next.firstCustomerId).toBe(true);
  });
}

test('the documented limits: 250 contacts, under 400,000 bytes', () => {
  expect(maxContactsPerImport).toBe(250);
  expect(maxImportBytes).toBeLessThan(400_000);
});

test('splits by count: 600 contacts are 250 + 250 + 100', () => {
  const input = page(600);
  const chunks = planChunks(input);
  expect(chunks.map((c) => c.contacts.length)).toEqual([250, 250, 100]);
  expect(chunks.map((c) => [c.firstCustomerId, c.lastCustomerId])).toEqual([
    [id(0), id(249)],
    [id(250), id(499)],
    [id(500), id(599)],
  ]);
  expectTiling(chunks, input);
  expect(planChunks(page(250)).map((c) => c.contacts.length)).toEqual([250]);
  expect(planChunks(page(251)).map((c) => c.contacts.length)).toEqual([250, 1]);
});

test('splits by bytes: every request stays under 400,000 bytes and is filled as far as the next one fits', () => {
  // ~3 KB a contact, multi-byte characters included: 250 of them would be ~750 KB.
  const input = page(400, (i) =>
    profile(i, { first_name: 'ő'.repeat(500), fields: [{ id: 1, value: '🙂'.repeat(500) }] }),
  );
  const chunks = planChunks(input);
  expect(chunks.length).toBeGreaterThan(2);
  for (const [i, chunk] of chunks.entries()) {
    expect(requestBytes(chunk)).toBeLessThan(400_000);
    const next = chunks[i + 1]?.contacts[0];
    if (next) {
      const withNext = { ...chunk, contacts: [...chunk.contacts, next] };
      expect(requestBytes(withNext)).toBeGreaterThan(maxImportBytes - 1_000);
    }
  }
  expect(chunks.reduce((n, c) => n + c.contacts.length, 0)).toBe(400);
  expectTiling(chunks, input);
});

test('custom limits split by whichever comes first', () => {
  const chunks = planChunks(page(10), { contacts: 4, bytes: 1_000_000 });
  expect(chunks.map((c) => c.contacts.length)).toEqual([4, 4, 2]);
  const small = planChunks(page(10), { contacts: 250, bytes: 100 + 3 * 60 });
  expect(Math.max(...small.map((c) => c.contacts.length))).toBeLessThanOrEqual(3);
});

test('duplicate emails: compared case-insensitively, the last one wins, earlier ones are rejected', () => {
  const input = page(8);
  input[1] = profile(1, { email: 'Dup@Example.com', first_name: 'first' });
  input[4] = profile(4, { email: 'dup@example.com', first_name: 'second' });
  input[6] = profile(6, { email: 'DUP@example.COM', first_name: 'last' });
  const [chunk, more] = planChunks(input);
  expect(more).toBeUndefined();
  expect(chunk?.contacts.filter((c) => c.contact.email.toLowerCase() === 'dup@example.com')).toEqual([
    input[6],
  ]);
  expect(chunk?.rejects).toEqual([
    { customerId: id(1), reason: 'DUPLICATE_EMAIL', email: 'Dup@Example.com' },
    { customerId: id(4), reason: 'DUPLICATE_EMAIL', email: 'dup@example.com' },
  ]);
  expect(chunk?.contacts).toHaveLength(6);
});

test('the last of a duplicate wins across chunk boundaries too', () => {
  const input = page(300);
  input[10] = profile(10, { email: 'same@example.com' });
  input[280] = profile(280, { email: 'same@example.com' });
  const chunks = planChunks(input);
  expect(chunks[0]?.rejects).toEqual([
    { customerId: id(10), reason: 'DUPLICATE_EMAIL', email: 'same@example.com' },
  ]);
  expect(emails(chunks[0] as Chunk)).not.toContain('same@example.com');
  expect(emails(chunks[1] as Chunk)).toContain('same@example.com');
  expectTiling(chunks, input);
});

test('mapper rejects and unchanged contacts are carried in their range, never sent', () => {
  const input = page(6);
  input[0] = { customerId: id(0), reject: 'INVALID_EMAIL' };
  input[2] = profile(2, {}, 'unchanged');
  input[3] = { customerId: id(3), reject: 'MISSING_EMAIL' };
  input[5] = profile(5, {}, 'update');
  const [chunk] = planChunks(input);
  expect(chunk?.contacts.map((c) => c.customerId)).toEqual([id(1), id(4), id(5)]);
  expect(chunk?.rejects).toEqual([
    { customerId: id(0), reason: 'INVALID_EMAIL' },
    { customerId: id(3), reason: 'MISSING_EMAIL' },
  ]);
  expect(chunk?.unchanged).toBe(1);
  expectTiling([chunk as Chunk], input);
});

test('a page of nothing to send is one chunk that only moves the cursor; an empty page is none', () => {
  const input = page(3, (i) => profile(i, {}, 'unchanged'));
  expect(planChunks(input)).toEqual([
    { firstCustomerId: id(0), lastCustomerId: id(2), contacts: [], rejects: [], unchanged: 3, skipped: 0 },
  ]);
  expect(planChunks([])).toEqual([]);
});

test('a single contact over the byte limit is rejected instead of sent alone (ActiveCampaign would refuse the request)', () => {
  const input = [profile(0), profile(1, { first_name: 'x'.repeat(400_000) }), profile(2)];
  const chunks = planChunks(input);
  expect(chunks).toHaveLength(1);
  expect(chunks[0]?.contacts.map((c) => c.customerId)).toEqual([id(0), id(2)]);
  expect(chunks[0]?.rejects).toEqual([
    { customerId: id(1), reason: 'CONTACT_TOO_LARGE', email: 'user1@example.com' },
  ]);
});

test('a continued chunk is filled by the next read batch, and its copy is left alone', () => {
  const first = page(300, (i) => profile(i, {}, i % 10 === 0 ? 'update' : 'unchanged'));
  const [open] = planChunks(first);
  if (!open) throw new Error('one chunk expected');
  expect(open.contacts).toHaveLength(30);
  const second = Array.from({ length: 3_000 }, (_, i) =>
    profile(300 + i, {}, i % 10 === 0 ? 'update' : 'unchanged'),
  );
  const chunks = planChunks(second, undefined, open);
  expect(chunks.map((c) => c.contacts.length)).toEqual([250, 80]);
  expect(chunks[0]?.firstCustomerId).toBe(id(0));
  expect(chunks[1]?.firstCustomerId).toBe(id(2_500));
  expectTiling(chunks, [...first, ...second]);
  expect(open.contacts).toHaveLength(30);
  expect(open.lastCustomerId).toBe(id(299));
});

test('an email the continued chunk already holds starts a new chunk: the later one is sent after', () => {
  const [open] = planChunks(page(3));
  const next = [profile(3), profile(4, { email: 'USER1@example.com' }), profile(5)];
  const chunks = planChunks(next, undefined, open);
  expect(chunks.map((c) => c.contacts.map((x) => x.customerId))).toEqual([
    [id(0), id(1), id(2), id(3)],
    [id(4), id(5)],
  ]);
  expect(chunks.flatMap((c) => c.rejects)).toEqual([]);
});

test('a continued chunk counts the bytes it holds', () => {
  const big = (i: number) => profile(i, { first_name: 'x'.repeat(150_000) });
  const [open] = planChunks([big(0), big(1)]);
  const chunks = planChunks([big(2)], undefined, open);
  expect(chunks.map((c) => c.contacts.length)).toEqual([2, 1]);
  for (const chunk of chunks) expect(requestBytes(chunk)).toBeLessThan(400_000);
});
