import type { ActiveCampaignClient } from './client.ts';
import type { AcField, AcList, AcTag } from './types.ts';

type Kind = 'lists' | 'fields' | 'tags';
type Catalog = { lists: AcList[]; fields: AcField[]; tags: AcTag[] };
type Entry<K extends Kind> = { at: number; value: Promise<Catalog[K]> };

/** How long what an account has (its lists, fields, tags) is reused before it is read again. */
export const discoveryTtlMs = 30_000;

/**
 * Reads an account's lists, custom fields and tags through every page, and keeps each briefly per
 * connection: a form asking page after page costs one read. `account` names the connection as it is now
 * (its id and last change), so a new key or host is never answered from the old one's cache.
 * A failed read is not kept.
 */
export class AccountDiscovery {
  private readonly entries = new Map<string, Entry<Kind>>();

  constructor(
    private readonly ttlMs = discoveryTtlMs,
    private readonly now: () => number = () => performance.now(),
  ) {}

  lists(account: string, open: () => Promise<ActiveCampaignClient>): Promise<AcList[]> {
    return this.read(account, 'lists', async () => (await open()).lists());
  }

  /** `fresh`: read again now (say, a field id the cached copy does not know may have just been created). */
  fields(account: string, open: () => Promise<ActiveCampaignClient>, fresh = false): Promise<AcField[]> {
    return this.read(account, 'fields', async () => (await open()).fields(), fresh);
  }

  tags(account: string, open: () => Promise<ActiveCampaignClient>): Promise<AcTag[]> {
    return this.read(account, 'tags', async () => (await open()).tags());
  }

  private read<K extends Kind>(
    account: string,
    kind: K,
    load: () => Promise<Catalog[K]>,
    fresh = false,
  ): Promise<Catalog[K]> {
    const key = `${kind} ${account}`;
    const now = this.now();
    const cached = this.entries.get(key) as Entry<K> | undefined;
    if (cached && !fresh && now - cached.at < this.ttlMs) return cached.value;
    this.forgetExpired(now);
    const value = load();
    const entry: Entry<K> = { at: now, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  private forgetExpired(now: number): void {
    for (const [key, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(key);
  }
}
