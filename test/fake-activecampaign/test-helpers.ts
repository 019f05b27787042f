import type { FakeActiveCampaign } from '../../fake-activecampaign/index.ts';

/** Helpers for the contract tests: they talk to the fake over real HTTP, as a client would. */

/** Whatever JSON the fake sent: the tests' assertions check its shape. */
export type Json = any;

export type Answer = { status: number; headers: Headers; json: Json; text: string };

export async function call(
  fake: FakeActiveCampaign,
  key: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers['Api-Token'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** A client bound to one key. */
export function clientFor(fake: FakeActiveCampaign, key: string) {
  return {
    get: (path: string) => call(fake, key, 'GET', path),
    post: (path: string, body: unknown) => call(fake, key, 'POST', path, body),
    put: (path: string, body: unknown) => call(fake, key, 'PUT', path, body),
    delete: (path: string) => call(fake, key, 'DELETE', path),
    bulk: (contacts: unknown[]) => call(fake, key, 'POST', '/api/3/import/bulk_import', { contacts }),
  };
}

export type Client = ReturnType<typeof clientFor>;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function contacts(count: number, extra: Record<string, unknown> = {}, prefix = 'user') {
  return Array.from({ length: count }, (_, i) => ({ email: `${prefix}${i + 1}@example.com`, ...extra }));
}

/** Polls import/info until the batch completes; returns the final answer. */
export async function completed(client: Client, batchId: string, timeoutMs = 10_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await client.get(`/api/3/import/info?batchId=${batchId}`);
    if (info.status === 200 && info.json.status === 'completed') return info.json;
    await sleep(10);
  }
  throw new Error(`batch ${batchId} did not complete within ${timeoutMs} ms`);
}

/** Imports and waits for completion. */
export async function importAndWait(client: Client, list: unknown[]): Promise<Json> {
  const queued = await client.bulk(list);
  if (queued.status !== 200) throw new Error(`import refused: ${queued.status} ${queued.text}`);
  return completed(client, queued.json.batchId);
}
