import type { Account } from './account.ts';
import { checkFaults } from './faults.ts';
import type { Reply } from './types.ts';

const noContent: Reply = { status: 204 };
const badRequest = (message: string): Reply => ({ status: 400, body: { message } });

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const isOptionalBoolean = (value: unknown) => value === undefined || typeof value === 'boolean';

/** Runs an in-process account method, turning its thrown error into a 400 answer. */
function attempt(action: () => void, success: Reply = noContent): Reply {
  try {
    action();
    return success;
  } catch (error) {
    return badRequest(error instanceof Error ? error.message : String(error));
  }
}

/**
 * /__fake/* — the in-process FakeAccount methods over HTTP, for other processes (benchmark, dev setup).
 * The Api-Token header selects the account. These requests are not recorded, not rate limited and not
 * subject to faults.
 */
export function routeControl(account: Account, method: string, path: string, body: Buffer): Reply {
  const route = `${method} ${path}`;
  if (route === 'GET /__fake/requests') return { status: 200, items: account.requests() };
  if (route === 'DELETE /__fake/requests') return attempt(() => account.clearRequests());
  if (route === 'GET /__fake/stats') return { status: 200, body: account.stats() };
  if (route === 'POST /__fake/hold') return attempt(() => account.holdRequests());
  if (route === 'POST /__fake/release') return attempt(() => account.releaseRequests());
  if (route === 'GET /__fake/held') return { status: 200, body: { held: account.gate.held } };
  if (route === 'PUT /__fake/faults') return attempt(() => account.setFaults(checkFaults(parse(body))));
  const members = /^\/__fake\/lists\/([0-9]+)\/members$/.exec(path);
  if (method === 'GET' && members) return { status: 200, items: account.listMembers(Number(members[1])) };
  if (route === 'GET /__fake/imports/exclude-automations')
    return { status: 200, body: account.importAutomationFlags() };
  if (route === 'POST /__fake/unsubscribe') {
    const input = parse(body) as { email?: unknown; listId?: unknown } | undefined;
    if (typeof input?.email !== 'string' || typeof input.listId !== 'number') {
      return badRequest('expected {"email": string, "listId": number}');
    }
    return attempt(() => account.unsubscribeAsContact(input.email as string, input.listId as number));
  }
  if (route === 'POST /__fake/lists') {
    const input = parse(body) as { id?: unknown; name?: unknown } | undefined;
    if (typeof input?.id !== 'number' || (input.name !== undefined && typeof input.name !== 'string')) {
      return badRequest('expected {"id": number, "name"?: string}');
    }
    const list = { id: input.id, name: input.name as string | undefined };
    return attempt(() => account.addList(list), { status: 201, body: { id: input.id } });
  }
  if (route === 'POST /__fake/fields') {
    const input = parse(body) as Record<string, unknown> | undefined;
    const options = input?.options;
    if (
      typeof input?.id !== 'number' ||
      typeof input.title !== 'string' ||
      (input.type !== undefined && typeof input.type !== 'string') ||
      (options !== undefined && !(Array.isArray(options) && options.every((o) => typeof o === 'string')))
    ) {
      return badRequest('expected {"id": number, "title": string, "type"?: string, "options"?: string[]}');
    }
    const field = {
      id: input.id,
      title: input.title,
      type: input.type as string | undefined,
      options: options as string[] | undefined,
    };
    return attempt(() => account.addField(field), { status: 201, body: { id: input.id } });
  }
  if (route === 'POST /__fake/tags') {
    const input = parse(body) as { tag?: unknown } | undefined;
    if (typeof input?.tag !== 'string') return badRequest('expected {"tag": string}');
    try {
      return { status: 201, body: { id: account.addTag(input.tag) } };
    } catch (error) {
      return badRequest(error instanceof Error ? error.message : String(error));
    }
  }
  const list = /^\/__fake\/lists\/([0-9]+)$/.exec(path);
  if (method === 'DELETE' && list) return attempt(() => account.deleteList(Number(list[1])));
  if (route === 'PUT /__fake/deviations') {
    const input = parse(body) as Record<string, unknown> | undefined;
    const unknown = Object.keys(input ?? {}).filter((k) => k !== 'importFailureReasons');
    if (
      typeof input !== 'object' ||
      input === null ||
      unknown.length ||
      !isOptionalBoolean(input.importFailureReasons)
    )
      return badRequest('expected {"importFailureReasons"?: boolean}');
    return attempt(() =>
      account.setDeviations({ importFailureReasons: input.importFailureReasons === true }),
    );
  }
  if (route === 'POST /__fake/failing-imports') {
    const input = parse(body) as { email?: unknown } | undefined;
    if (typeof input?.email !== 'string') return badRequest('expected {"email": string}');
    return attempt(() => account.failImportsContaining(input.email as string));
  }
  if (route === 'POST /__fake/exclusions') {
    const input = parse(body) as { email?: unknown } | undefined;
    if (typeof input?.email !== 'string') return badRequest('expected {"email": string}');
    return attempt(() => account.exclude(input.email as string));
  }
  return { status: 404, body: { message: `Unknown control route ${route}` } };
}
