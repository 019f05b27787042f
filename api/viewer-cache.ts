import { sha256Hex } from '../core/secrets.ts';
import type { Sql } from '../db/client.ts';
import type { Viewer } from './context.ts';

/**
 * Who a bearer token belongs to, remembered for a few seconds: every request needs it, and a
 * dashboard polling exportRun should not cost a token lookup per poll. Only hashes are kept.
 */
export function createViewerLookup(sql: Sql, ttlMs = 5_000, maxEntries = 10_000) {
  const cache = new Map<string, { viewer: Viewer | null; until: number }>();
  return async (request: Request): Promise<Viewer | null> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
    if (!match?.[1]) return null;
    const hash = sha256Hex(match[1]);
    const cached = cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.viewer;
    const [user] = await sql<Viewer[]>`
      select u.id, u.email, u.role from api_tokens t join users u on u.id = t.user_id where t.token_hash = ${hash}`;
    if (cache.size >= maxEntries) cache.clear();
    cache.set(hash, { viewer: user ?? null, until: Date.now() + ttlMs });
    return user ?? null;
  };
}
