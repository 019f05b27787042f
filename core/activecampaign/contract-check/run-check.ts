import { randomBytes } from 'node:crypto';
import { asNumber } from '../classify.ts';
import type { ActiveCampaignClient } from '../client.ts';
import { sleep } from '../rate-limiter.ts';
import { type CheckResult, createCheckRunner, expectThat, shapeOf } from './checks.ts';

/** What ActiveCampaign documents an import/info answer to carry, and its statuses. */
const documentedInfoFields = new Set(['status', 'success', 'failure']);
const documentedStatuses = new Set(['waiting', 'claimed', 'active', 'completed', 'failed', 'interrupted']);

export type ContractCheckOptions = {
  client: ActiveCampaignClient;
  listId: string;
  /** Deletes the throwaway contacts at the end (DELETE /contacts/{id}). */
  cleanup: boolean;
  print: (line: string) => void;
  /** Between import/info polls (default 1 s), and how long an import may take (default 10 minutes). */
  pollMs?: number;
  importTimeoutMs?: number;
};

type Info = { status?: unknown; success?: unknown; failure?: unknown } & Record<string, unknown>;

/**
 * Checks, against a real account, each behaviour Outbound relies on (docs/activecampaign.md): the key,
 * the list, paging of fields and tags, a bulk import of two recognisable throwaway contacts
 * (outbound-check+<random>-a/-b@example.com) and its import/info, the lookups that classify failures,
 * and that an import does not re-subscribe a contact unsubscribed from the list. One line per behaviour.
 */
export async function runContractCheck(options: ContractCheckOptions): Promise<CheckResult[]> {
  const { client, listId, print } = options;
  const pollMs = options.pollMs ?? 1_000;
  const timeoutMs = options.importTimeoutMs ?? 10 * 60_000;
  const runner = createCheckRunner(print);
  const { check } = runner;
  const tag = randomBytes(4).toString('hex');
  const emails = [`outbound-check+${tag}-a@example.com`, `outbound-check+${tag}-b@example.com`];
  const infoFields = new Set<string>();

  /** Polls import/info until the import ends; every answer's fields and status are noted. */
  const awaitImport = async (batchId: string): Promise<Info> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const info = await client.raw<Info>('GET', '/import/info', { query: { batchId } });
      for (const key of Object.keys(info)) infoFields.add(key);
      // `false` within about a second of the import is documented: not known yet.
      if (info.status !== false) {
        expectThat(documentedStatuses.has(String(info.status)), `status was ${shapeOf(info.status)}`);
        if (info.status !== 'waiting' && info.status !== 'claimed' && info.status !== 'active') return info;
      }
      expectThat(Date.now() < until, `still ${String(info.status)} after ${timeoutMs / 1000} s`);
      await sleep(pollMs);
    }
  };
  const bulkImport = async (contacts: string[]) => {
    const body = await client.raw('POST', '/import/bulk_import', {
      body: { contacts: contacts.map((email) => ({ email, subscribe: [{ listid: Number(listId) }] })) },
      kind: contacts.length > 1 ? 'bulk' : 'bulkSingle',
    });
    expectThat(asNumber(body.success ?? body.Success) === 1, `success was ${shapeOf(body.success)}`);
    expectThat(typeof body.batchId === 'string', `batchId was ${shapeOf(body.batchId)}`);
    return body.batchId as string;
  };
  const contactIdOf = async (email: string): Promise<string | undefined> => {
    const body = await client.raw<{ contacts?: unknown }>('GET', '/contacts', { query: { email } });
    expectThat(Array.isArray(body.contacts), `contacts was ${shapeOf(body.contacts)}`);
    const found = (body.contacts as Array<Record<string, unknown>>).find(
      (c) => String(c.email).toLowerCase() === email.toLowerCase(),
    );
    return found ? String(found.id) : undefined;
  };
  const statusOnList = async (contactId: string): Promise<number | undefined> => {
    const body = await client.raw<{ contactLists?: unknown }>('GET', `/contacts/${contactId}/contactLists`);
    expectThat(Array.isArray(body.contactLists), `contactLists was ${shapeOf(body.contactLists)}`);
    const entry = (body.contactLists as Array<Record<string, unknown>>).find(
      (l) => String(l.list) === listId,
    );
    return entry ? asNumber(entry.status) : undefined;
  };
  const paged = async (path: string, key: string) => {
    const body = await client.raw<Record<string, unknown>>('GET', path, { query: { limit: 100, offset: 0 } });
    const items = body[key];
    expectThat(Array.isArray(items), `${key} was ${shapeOf(items)}`);
    const total = asNumber((body.meta as { total?: unknown } | undefined)?.total);
    expectThat(Number.isInteger(total), `meta.total was ${shapeOf(body.meta)}`);
    let seen = items.length;
    for (let offset = 100; seen < total; offset += 100) {
      const page = await client.raw<Record<string, unknown>>('GET', path, { query: { limit: 100, offset } });
      const more = page[key];
      expectThat(Array.isArray(more) && more.length > 0, `offset ${offset} gave ${shapeOf(more)}`);
      seen += more.length;
    }
    expectThat(seen === total, `read ${seen} of meta.total ${total}`);
  };

  await check('API key accepted (GET /users/me)', async () => {
    const body = await client.raw<{ user?: { id?: unknown } }>('GET', '/users/me');
    expectThat(body.user?.id !== undefined, `user was ${shapeOf(body.user)}`);
  });
  await check(`list ${listId} exists (GET /lists/{id})`, async () => {
    const body = await client.raw<{ list?: { id?: unknown } }>('GET', `/lists/${encodeURIComponent(listId)}`);
    expectThat(String(body.list?.id) === listId, `list was ${shapeOf(body.list)}`);
  }, ['API key accepted (GET /users/me)']);
  const listed = [`list ${listId} exists (GET /lists/{id})`];
  await check(
    'fields page by limit/offset up to meta.total (GET /fields)',
    () => paged('/fields', 'fields'),
    listed,
  );
  await check('tags page by limit/offset up to meta.total (GET /tags)', () => paged('/tags', 'tags'), listed);

  const queued = 'bulk import of 2 throwaway contacts is queued (POST /import/bulk_import)';
  const firstBatch = await check(queued, () => bulkImport(emails), listed);
  const completed = 'import/info reaches completed with both contacts among success';
  await check(completed, async () => {
    const info = await awaitImport(firstBatch as string);
    expectThat(info.status === 'completed', `ended ${String(info.status)}`);
    expectThat(
      Array.isArray(info.success) && info.success.length === 2,
      `success was ${shapeOf(info.success)}`,
    );
    expectThat(
      Array.isArray(info.failure) && info.failure.length === 0,
      `failure was ${shapeOf(info.failure)}`,
    );
  }, [queued]);
  const ids: string[] = [];
  const found = 'both contacts found by email (GET /contacts?email=)';
  await check(found, async () => {
    for (const email of emails) {
      const id = await contactIdOf(email);
      expectThat(id !== undefined, 'a throwaway contact was not found by its email');
      ids.push(id);
    }
  }, [completed]);
  const subscribed = 'both contacts subscribed to the list (GET /contacts/{id}/contactLists, status 1)';
  await check(subscribed, async () => {
    for (const id of ids) {
      const status = await statusOnList(id);
      expectThat(status === 1, `status on list ${listId} was ${shapeOf(status)}`);
    }
  }, [found]);
  const unsubscribed = 'an unsubscribed contact is not re-subscribed by an import, and is among failure';
  await check(unsubscribed, async () => {
    const [, second] = ids;
    await client.setListStatus(listId, second as string, 2);
    const info = await awaitImport(await bulkImport(emails));
    expectThat(info.status === 'completed', `ended ${String(info.status)}`);
    const failure = Array.isArray(info.failure) ? info.failure.map((e) => String(e).toLowerCase()) : [];
    expectThat(
      failure.length === 1 && failure[0] === emails[1]?.toLowerCase(),
      `failure held ${failure.length} email(s), ${failure.includes(emails[1]?.toLowerCase() ?? '') ? 'with' : 'without'} the unsubscribed one`,
    );
    const status = await statusOnList(second as string);
    expectThat(status === 2, `its status on the list became ${shapeOf(status)}`);
  }, [subscribed]);
  await check('import/info carries only documented fields (status, success, failure)', async () => {
    const extra = [...infoFields].filter((f) => !documentedInfoFields.has(f)).sort();
    expectThat(extra.length === 0, `undocumented field(s): ${extra.join(', ')}`);
  }, [completed]);
  if (options.cleanup) {
    await check('throwaway contacts deleted (DELETE /contacts/{id})', async () => {
      for (const id of ids) await client.deleteContact(id);
      for (const email of emails) {
        expectThat((await contactIdOf(email)) === undefined, 'a deleted contact is still found by email');
      }
    }, [found]);
  }
  return runner.results;
}
