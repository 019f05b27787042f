import {
  ActiveCampaignClient,
  type ActiveCampaignClientOptions,
} from '../../../core/activecampaign/client.ts';
import { pacing } from '../../../core/activecampaign/pacing.ts';
import type { RateLimiter, RequestKind } from '../../../core/activecampaign/rate-limiter.ts';
import type { BulkContact, ImportInfo } from '../../../core/activecampaign/types.ts';
import type { FakeActiveCampaign, RecordedRequest } from '../../../fake-activecampaign/index.ts';

/** Shared by the client tests and the child-process worker: an export's traffic shape, through the real client. */

export function makeContacts(count: number, prefix: string, listId: number, from = 0): BulkContact[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `${prefix}${from + i}@example.com`,
    first_name: `First ${from + i}`,
    last_name: prefix,
    subscribe: [{ listid: listId }],
  }));
}

/** `count` batches of `size` contacts each, emails `<prefix><n>@example.com` numbered from 0. */
export function makeBatches(count: number, size: number, prefix: string, listId: number): BulkContact[][] {
  return Array.from({ length: count }, (_, b) => makeContacts(size, prefix, listId, b * size));
}

export function clientFor(
  fake: FakeActiveCampaign,
  apiKey: string,
  limiter: RateLimiter,
  options: Partial<ActiveCampaignClientOptions> = {},
): ActiveCampaignClient {
  return new ActiveCampaignClient({
    baseUrl: `${fake.url}/api/3`,
    apiKey,
    account: fake.host,
    limiter,
    rateLimitPauseMs: 60_000 / 100 / fake.scale,
    ...options,
  });
}

export type ExportResult = { batchIds: string[]; results: Map<string, ImportInfo>; polls: number };

/**
 * Sends the batches one after another as an export does: one bulk import, then one import/info poll of
 * the oldest unfinished batch, per batch; then polls what is left until every batch completed.
 * `paced`: each import's and poll's slot is reserved while the one before is on its way, as the push does.
 */
export async function exportBatches(
  client: ActiveCampaignClient,
  batches: BulkContact[][],
  options: { finalPollPauseMs?: number; paced?: boolean } = {},
): Promise<ExportResult> {
  const imports = options.paced ? pacing(client, 'bulk') : undefined;
  const polling = options.paced ? pacing(client, 'general') : undefined;
  const batchIds: string[] = [];
  const results = new Map<string, ImportInfo>();
  const pending: string[] = [];
  let polls = 0;
  const pollOldest = async () => {
    const oldest = pending[0];
    if (!oldest) return;
    polls++;
    const info = await client.importInfo(oldest, polling?.next());
    if (info.status === 'completed') {
      results.set(oldest, info);
      pending.shift();
    }
  };
  for (const batch of batches) {
    const { batchId } = await client.bulkImport(batch, undefined, imports?.next());
    batchIds.push(batchId);
    pending.push(batchId);
    await pollOldest();
  }
  while (pending.length) {
    await pollOldest();
    if (pending.length) await new Promise((r) => setTimeout(r, options.finalPollPauseMs ?? 5));
  }
  return { batchIds, results, polls };
}

/** Counts acquisitions (= attempts) per kind, passing them on to a real limiter. */
export function countingLimiter(inner: RateLimiter) {
  const acquired: Record<RequestKind, number> = { general: 0, bulk: 0, bulkSingle: 0 };
  const backOffs: Array<{ kind: RequestKind; ms: number; at: number }> = [];
  const limiter: RateLimiter = {
    acquire(account, kind, signal, reserved) {
      acquired[kind]++;
      return inner.acquire(account, kind, signal, reserved);
    },
    reserve: (account, kind, notBeforeMs) => inner.reserve(account, kind, notBeforeMs),
    backOff(account, kind, ms) {
      backOffs.push({ kind, ms, at: Date.now() });
      return inner.backOff(account, kind, ms);
    },
  };
  return { limiter, acquired, backOffs };
}

export const isBulk = (r: RecordedRequest) => r.method === 'POST' && r.path === '/api/3/import/bulk_import';

/**
 * Measured bulk import rate over the documented bound (100 a minute, scaled), between the first and the
 * last accepted import.
 */
export function bulkThroughputRatio(requests: RecordedRequest[], scale: number): number {
  const accepted = requests.filter((r) => isBulk(r) && r.status === 200).map((r) => r.at);
  const first = Math.min(...accepted);
  const last = Math.max(...accepted);
  const boundIntervalMs = 60_000 / scale / 100;
  return ((accepted.length - 1) * boundIntervalMs) / (last - first);
}
