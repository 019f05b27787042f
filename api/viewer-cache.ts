import { revocationGenerations } from '../core/access-revocations.ts';
import type { Sql } from '../core/database.ts';
import { sha256Hex } from '../core/secrets.ts';
import { tokenHolder, tokenRevokedChannel } from '../core/tokens.ts';
import type { Viewer } from './context.ts';

export type ViewerLookup = {
  /** Who a bearer token belongs to: null for an unknown, revoked or expired token. */
  viewerOf(token: string): Promise<Viewer | null>;
  /** Forgets a revoked token in this process at once (the others hear of it through NOTIFY). */
  forget(tokenHash: string): void;
};

/**
 * Who a bearer token belongs to, remembered for a few seconds (never past the token's expiry): every
 * request needs it, and a dashboard polling exportRun should not cost a token lookup per poll. Only
 * hashes are kept. A lookup is trusted only while the access revocation counter, read after the request
 * arrived, is the one it was made under: a token revoked (or a role changed) is refused by every API
 * process from the commit on, even if the NOTIFY on `tokenRevokedChannel` comes late or never; the
 * NOTIFY only drops the entry sooner.
 */
export function createViewerLookup(sql: Sql, ttlMs = 5_000, maxEntries = 10_000): ViewerLookup {
  const cache = new Map<string, { viewer: Viewer | null; until: number; generation: number }>();
  const revocationGeneration = revocationGenerations(sql);
  let listening = false;
  const ready = sql
    .listen(
      tokenRevokedChannel,
      (hash) => cache.delete(hash),
      () => {
        cache.clear();
        listening = true;
      },
    )
    .catch(() => {
      listening = false;
    });
  return {
    async viewerOf(token) {
      await ready;
      const hash = sha256Hex(token);
      const generation = await revocationGeneration();
      const cached = cache.get(hash);
      if (cached && cached.until > Date.now() && cached.generation === generation) return cached.viewer;
      const holder = await tokenHolder(sql, hash);
      const viewer = holder ? { id: holder.id, email: holder.email, role: holder.role } : null;
      if (listening) {
        if (cache.size >= maxEntries) cache.clear();
        const until = Math.min(Date.now() + ttlMs, holder?.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
        cache.set(hash, { viewer, until, generation });
      }
      return viewer;
    },
    forget: (hash) => cache.delete(hash),
  };
}
