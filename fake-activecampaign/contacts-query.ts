import { paging } from './responses.ts';
import type { Store } from './store.ts';
import type { Contact, List } from './types.ts';

type Cache = { version: number; sorted: Map<string, Contact[]> };
const caches = new WeakMap<List, Cache>();

/** Members of a list in id order, optionally only one list status; cached until the list changes. */
function listContacts(store: Store, list: List, status: '1' | '2' | undefined): Contact[] {
  let cache = caches.get(list);
  if (!cache || cache.version !== list.version) {
    cache = { version: list.version, sorted: new Map() };
    caches.set(list, cache);
  }
  const key = status ?? 'all';
  let sorted = cache.sorted.get(key);
  if (!sorted) {
    const wanted = status === '1' ? 'subscribed' : status === '2' ? 'unsubscribed' : undefined;
    const ids: number[] = [];
    for (const [id, m] of list.members) if (!wanted || m.status === wanted) ids.push(id);
    ids.sort((a, b) => a - b);
    sorted = [];
    for (const id of ids) {
      const contact = store.contact(id);
      if (contact) sorted.push(contact);
    }
    cache.sorted.set(key, sorted);
  }
  return sorted;
}

/** First index whose contact id is greater than `id` (the array is in id order). */
function firstAbove(sorted: Contact[], id: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid]?.id ?? 0) > id) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const positiveInt = (value: string | null): number | undefined =>
  value !== null && /^[0-9]+$/.test(value) ? Number(value) : undefined;

/**
 * GET /contacts: `email` (exact, case-insensitive), `listid` (+ `status` 1|2), `id_greater`, `orders[id]`,
 * `limit`/`offset`. Like the real API, a filter it does not know (or cannot read) is ignored, so the
 * answer is then unfiltered. Default order: id ascending.
 */
export function queryContacts(store: Store, query: URLSearchParams): { contacts: Contact[]; total: number } {
  const { limit, offset } = paging(query);
  const email = query.get('email');
  const listId = positiveInt(query.get('listid'));
  const rawStatus = query.get('status');
  const status = rawStatus === '1' || rawStatus === '2' ? rawStatus : undefined;
  const idGreater = positiveInt(query.get('id_greater'));
  const descending = query.get('orders[id]')?.toUpperCase() === 'DESC';

  let candidates: Contact[];
  if (email) {
    const contact = store.findContact(email);
    candidates = [];
    if (contact && listId !== undefined) {
      const membership = store.lists.get(listId)?.members.get(contact.id);
      const wanted = status === '1' ? 'subscribed' : status === '2' ? 'unsubscribed' : undefined;
      if (membership && (!wanted || membership.status === wanted)) candidates.push(contact);
    } else if (contact) {
      candidates.push(contact);
    }
  } else if (listId !== undefined) {
    const list = store.lists.get(listId);
    candidates = list ? listContacts(store, list, status) : [];
  } else {
    candidates = store.liveContacts();
  }

  const start = idGreater === undefined ? 0 : firstAbove(candidates, idGreater);
  const total = candidates.length - start;
  const page: Contact[] = [];
  for (let i = offset; i < offset + limit && i < total; i++) {
    const contact = candidates[descending ? candidates.length - 1 - i : start + i];
    if (contact) page.push(contact);
  }
  return { contacts: page, total };
}
