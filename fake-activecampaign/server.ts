import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Account, ImportKind } from './account.ts';
import { routeApi } from './api-routes.ts';
import { parseImportBody } from './bulk-validation.ts';
import { routeControl } from './control.ts';
import type { RecordedRequest, Reply } from './types.ts';

const forbidden: Reply = { status: 403, body: { message: 'Forbidden' } };
const apiPrefix = '/api/3';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sliceSize = 5000;

/** Writes a JSON array slice by slice, waiting for the socket to drain in between. */
async function sendItems(res: ServerResponse, status: number, items: unknown[]): Promise<void> {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.write('[');
  for (let i = 0; i < items.length; i += sliceSize) {
    const slice = JSON.stringify(items.slice(i, i + sliceSize));
    const more = res.write((i === 0 ? '' : ',') + slice.slice(1, -1));
    if (!more && !res.destroyed) await new Promise((resolve) => res.once('drain', resolve));
    if (res.destroyed) return;
  }
  res.end(']');
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.items) {
    sendItems(res, reply.status, reply.items).catch(() => res.destroy());
    return;
  }
  const headers: Record<string, string | number> = { ...reply.headers };
  let payload = '';
  if (reply.raw) {
    headers['Content-Type'] = reply.raw.contentType;
    payload = reply.raw.text;
  } else if (reply.body !== undefined) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(reply.body);
  }
  headers['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const fakeIndex = {
  name: 'Fake ActiveCampaign (Outbound development and tests)',
  usage:
    "Use this host:port as a connection's API host (plain http; OUTBOUND_INSECURE_HOSTS) with one of the " +
    "account's API keys. Requests go to /api/3/... with the key in the Api-Token header, as on ActiveCampaign.",
  routes: [
    'GET /api/3/users/me',
    'GET /api/3/lists, GET /api/3/lists/{id}',
    'GET /api/3/fields (with fieldOptions), GET /api/3/tags?search=…',
    'GET /api/3/contacts?email=…, GET /api/3/contacts/{id}/contactLists, DELETE /api/3/contacts/{id}',
    'POST /api/3/import/bulk_import',
    'GET /api/3/import/info?batchId=…',
    'POST /api/3/contact/sync',
    'POST /api/3/contactLists',
    'GET /api/3/tags?search=…, POST /api/3/tags',
    'GET /api/3/contacts/{id}/contactTags, POST /api/3/contactTags, DELETE /api/3/contactTags/{id}',
  ],
  example: 'curl -H "Api-Token: dev-activecampaign-key" http://127.0.0.1:4010/api/3/lists',
};

/**
 * The HTTP pipeline of an API request: auth (403, unrecorded) → record → held gate → latency → payment (402) →
 * 429 storm → general rate limit → bulk-import rate limit → 5xx / dropped-connection faults → the route.
 * Requests refused by a rate limit are not counted in the windows; all others are.
 */
export function createRequestHandler(accounts: Map<string, Account>) {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const started = performance.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const key = req.headers['api-token'];
    const account = typeof key === 'string' ? accounts.get(key) : undefined;

    if (path.startsWith('/__fake/')) {
      send(res, account ? routeControl(account, method, path, body) : forbidden);
      return;
    }
    if (method === 'GET' && (path === '/' || path === apiPrefix)) {
      // A person opening the fake in a browser: what it is and how to use it, not a bare 404.
      send(res, { status: 200, body: fakeIndex });
      return;
    }
    if (!path.startsWith(`${apiPrefix}/`)) {
      send(res, { status: 404, body: { message: 'Not Found' } });
      return;
    }
    if (!account) {
      send(res, forbidden);
      return;
    }

    const record = account.record(method, path, at);
    const answer = (reply: Reply) => finish(record, started, reply.status, () => send(res, reply));
    const drop = () => finish(record, started, 0, () => req.socket.destroy());

    await account.gate.pass();
    if (account.faults.latencyMs > 0) await sleep(account.faults.latencyMs);
    const now = performance.now();
    account.settle(now);
    const apiPath = path.slice(apiPrefix.length);
    const parsedImport =
      method === 'POST' && apiPath === '/import/bulk_import' ? parseImportBody(body) : undefined;
    if (parsedImport) record.contacts = parsedImport.contacts?.length ?? 0;

    let importKind: ImportKind | undefined;
    if (parsedImport) importKind = (parsedImport.contacts?.length ?? 0) >= 2 ? 'multi' : 'single';
    const refusal = account.admit(account.clock(), importKind);
    if (refusal) return answer(refusal);

    const fault = account.faults.roll(parsedImport !== undefined);
    if (fault?.kind === 'error') return answer(fault.reply);
    if (fault?.kind === 'drop') return drop();

    const reply = routeApi({ account, method, path: apiPath, query, body, now, parsedImport });
    if (fault?.kind === 'drop-after') return drop();
    answer(reply);
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      console.error('fake ActiveCampaign: request failed', error);
      if (!res.headersSent) send(res, { status: 500, body: { message: 'Internal Server Error' } });
      else res.destroy();
    });
  };
}

function finish(record: RecordedRequest, started: number, status: number, respond: () => void): void {
  record.status = status;
  record.durationMs = performance.now() - started;
  respond();
}
