import type { Liveness } from '../liveness.ts';
import { asNumber } from './classify.ts';
import { ActiveCampaignError } from './errors.ts';
import type { Pace, RequestKind, Slot } from './rate-limiter.ts';
import { type RequestOptions, request, type TransportOptions } from './transport.ts';
import type {
  AcContact,
  AcContactList,
  AcField,
  AcList,
  AcTag,
  BulkContact,
  ImportInfo,
  ImportStatus,
  ListStatus,
  SyncContact,
} from './types.ts';

export type AcPage<T> = { items: T[]; total: number };

export type ActiveCampaignClientOptions = TransportOptions;

/** A typed ActiveCampaign v3 client: rate limited per account, retrying what a retry can fix. */
export class ActiveCampaignClient {
  constructor(private readonly options: ActiveCampaignClientOptions) {}

  /** Aborts this client's waits and requests (the activity's cancellation signal). */
  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  /** This client for an activity: its cancellation signal, and the liveness its waits report to. */
  withSignal(signal: AbortSignal, liveness?: Liveness): ActiveCampaignClient {
    return new ActiveCampaignClient({ ...this.options, signal, liveness });
  }

  async me(): Promise<{ id: string }> {
    const body = await this.request<{ user: { id: unknown } }>('GET', '/users/me');
    return { id: String(body.user.id) };
  }

  async getList(listId: string): Promise<AcList> {
    const body = await this.request<{ list: Record<string, unknown> }>(
      'GET',
      `/lists/${encodeURIComponent(listId)}`,
    );
    return toList(body.list);
  }

  async lists(): Promise<AcList[]> {
    return this.pages('/lists', 'lists', toList);
  }

  /** Every custom field, with the option values of those that have options (sideloaded as `fieldOptions`). */
  async fields(): Promise<AcField[]> {
    const options = new Map<string, string[]>();
    const fields = await this.pages('/fields', 'fields', toField, (body) => {
      const sideloaded = Array.isArray(body.fieldOptions) ? body.fieldOptions : [];
      for (const option of sideloaded as Array<Record<string, unknown>>) {
        const field = String(option.field);
        options.set(field, [...(options.get(field) ?? []), String(option.value ?? '')]);
      }
    });
    return fields.map((f) => ({ ...f, options: options.get(f.id) ?? [] }));
  }

  /** Every contact tag, or those whose name contains `search`. */
  async tags(search?: string): Promise<AcTag[]> {
    return this.pages(
      '/tags',
      'tags',
      (t) => ({ id: String(t.id), name: String(t.tag ?? '') }),
      undefined,
      search ? { search } : {},
    );
  }

  /** One page of contacts (limit ≤ 100), optionally only those on a list. */
  async contacts(
    page: { listId?: string; limit?: number; offset?: number } = {},
  ): Promise<AcPage<AcContact>> {
    const query: Record<string, string | number> = {
      limit: Math.min(page.limit ?? 100, 100),
      offset: page.offset ?? 0,
    };
    if (page.listId !== undefined) query.listid = page.listId;
    const body = await this.request<{
      contacts?: Array<Record<string, unknown>>;
      meta?: { total?: unknown };
    }>('GET', '/contacts', { query });
    const items = (body.contacts ?? []).map(toContact);
    const total = asNumber(body.meta?.total);
    return { items, total: Number.isFinite(total) ? total : items.length };
  }

  /**
   * The contact with exactly this email (case-insensitive), optionally only if it has this status on a
   * list. The email is checked on the answer: an unknown filter would return other contacts.
   */
  async findContactByEmail(
    email: string,
    onList?: { listId: string; status: ListStatus },
  ): Promise<AcContact | null> {
    const query: Record<string, string | number> = onList
      ? { email, listid: onList.listId, status: onList.status }
      : { email };
    const body = await this.request<{ contacts?: Array<Record<string, unknown>> }>('GET', '/contacts', {
      query,
    });
    const match = (body.contacts ?? []).find((c) => String(c.email).toLowerCase() === email.toLowerCase());
    return match ? toContact(match) : null;
  }

  /** Upserts one contact by email (POST /contact/sync, camelCase). For small changes; exports use bulkImport. */
  async syncContact(contact: SyncContact): Promise<AcContact> {
    const body = await this.request<{ contact: Record<string, unknown> }>('POST', '/contact/sync', {
      body: { contact },
    });
    return toContact(body.contact);
  }

  /** Changes a contact's email in place (PUT /contacts/{id}), keeping its id, lists and history. */
  async updateContactEmail(contactId: string, email: string): Promise<void> {
    await this.request('PUT', `/contacts/${encodeURIComponent(contactId)}`, { body: { contact: { email } } });
  }

  /** The ids of these tags (names compare case-insensitively), creating the ones the account lacks. */
  async ensureTags(names: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const name of names) {
      const body = await this.request<{ tags?: Array<Record<string, unknown>> }>('GET', '/tags', {
        query: { search: name, limit: 100 },
      });
      const found = (body.tags ?? []).find((t) => String(t.tag).toLowerCase() === name.toLowerCase());
      if (found) ids.set(name, String(found.id));
      else {
        const created = await this.request<{ tag: Record<string, unknown> }>('POST', '/tags', {
          body: { tag: { tag: name, tagType: 'contact', description: '' } },
        });
        ids.set(name, String(created.tag.id));
      }
    }
    return ids;
  }

  /** The contact's tags: contact-tag id and tag id. */
  async contactTags(contactId: string): Promise<Array<{ id: string; tag: string }>> {
    const body = await this.request<{ contactTags?: Array<Record<string, unknown>> }>(
      'GET',
      `/contacts/${encodeURIComponent(contactId)}/contactTags`,
    );
    return (body.contactTags ?? []).map((ct) => ({ id: String(ct.id), tag: String(ct.tag) }));
  }

  async removeContactTag(contactTagId: string): Promise<void> {
    await this.request('DELETE', `/contactTags/${encodeURIComponent(contactTagId)}`);
  }

  async setListStatus(listId: string, contactId: string, status: ListStatus): Promise<void> {
    await this.request('POST', '/contactLists', {
      body: { contactList: { list: Number(listId), contact: Number(contactId), status } },
    });
  }

  /** One request, its JSON answer as it came: for the contract check, which inspects the shapes themselves. */
  raw<T = Record<string, unknown>>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>(method, path, options);
  }

  /** Reserves the slot of a request of this kind that will be ready in `notBeforeMs` (see pacing). */
  reserve(kind: RequestKind, notBeforeMs: number): Promise<Slot> {
    return this.options.limiter.reserve(this.options.account, kind, notBeforeMs);
  }

  /**
   * Queues an import; a 200 means queued, not done: follow it with importInfo. `serialized` are the
   * contacts already as JSON, one string each, when the caller has them; `pace`, when it is one of a
   * series (see pacing).
   */
  async bulkImport(
    contacts: BulkContact[],
    serialized?: string[],
    pace?: Pace,
    excludeAutomations = false,
  ): Promise<{ batchId: string; queued: number }> {
    const kind = contacts.length > 1 ? 'bulk' : 'bulkSingle';
    const json = `{"contacts":[${(serialized ?? contacts.map((c) => JSON.stringify(c))).join(',')}],"exclude_automations":${excludeAutomations}}`;
    const body = await this.request<Record<string, unknown>>('POST', '/import/bulk_import', {
      json,
      completeOnceSent: true,
      // Single-contact imports have their own, lower limit (20 a minute).
      kind,
      pace: kind === 'bulk' ? pace : undefined,
    });
    const success = body.success ?? body.Success;
    if (asNumber(success) !== 1 || typeof body.batchId !== 'string') {
      throw new ActiveCampaignError(
        'Unavailable',
        'POST /import/bulk_import answered 200 without a batch id.',
      );
    }
    const queued = asNumber(body.queued_contacts);
    return { batchId: body.batchId, queued: Number.isFinite(queued) ? queued : contacts.length };
  }

  /** Today's bulk import totals of the account (GET /import/bulk_import). */
  async bulkImportTotals(): Promise<{ date: string; requests: number; contacts: number }> {
    const body = await this.request<{ dailyTotals?: Record<string, unknown> }>('GET', '/import/bulk_import');
    const totals = body.dailyTotals ?? {};
    return {
      date: String(totals.date ?? ''),
      requests: asNumber(totals.requests) || 0,
      contacts: asNumber(totals.contacts) || 0,
    };
  }

  /** Reads only the documented `status`, `success` and `failure`; anything else is ignored. */
  async importInfo(batchId: string, pace?: Pace): Promise<ImportInfo> {
    const body = await this.request<{ status?: unknown; success?: unknown; failure?: unknown }>(
      'GET',
      '/import/info',
      { query: { batchId }, pace },
    );
    // `false` during the first second of a batch (documented): not known yet, polled again.
    const status: ImportStatus =
      body.status === false || body.status == null ? 'queued' : (String(body.status) as ImportStatus);
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
    return { status, success: list(body.success), failure: list(body.failure) };
  }

  /** The contact's status on each list it has one on (GET /contacts/{id}/contactLists). */
  async contactLists(contactId: string): Promise<AcContactList[]> {
    const body = await this.request<{ contactLists?: Array<Record<string, unknown>> }>(
      'GET',
      `/contacts/${encodeURIComponent(contactId)}/contactLists`,
    );
    return (body.contactLists ?? []).map((cl) => ({ list: String(cl.list), status: asNumber(cl.status) }));
  }

  /** Deletes a contact (DELETE /contacts/{id}); used by the contract check to remove its throwaway ones. */
  async deleteContact(contactId: string): Promise<void> {
    await this.request('DELETE', `/contacts/${encodeURIComponent(contactId)}`, { emptyOk: true });
  }

  /**
   * Every page of a collection (limit 100); stops on a short page or at `meta.total` (string or number).
   * `onPage` sees each whole answer (for sideloaded data).
   */
  private async pages<T>(
    path: string,
    key: string,
    map: (item: Record<string, unknown>) => T,
    onPage?: (body: Record<string, unknown>) => void,
    filter: Record<string, string> = {},
  ): Promise<T[]> {
    const all: T[] = [];
    for (let offset = 0; ; offset += 100) {
      const body = await this.request<Record<string, unknown>>('GET', path, {
        query: { ...filter, limit: 100, offset },
      });
      onPage?.(body);
      const items = Array.isArray(body[key]) ? (body[key] as Array<Record<string, unknown>>) : [];
      all.push(...items.map(map));
      const total = asNumber((body.meta as { total?: unknown } | undefined)?.total);
      if (items.length < 100 || all.length >= total) return all;
    }
  }

  private request<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return request<T>(this.options, method, path, options);
  }
}

function toList(list: Record<string, unknown>): AcList {
  return { id: String(list.id), name: String(list.name ?? '') };
}

function toField(field: Record<string, unknown>): AcField {
  return {
    id: String(field.id),
    title: String(field.title ?? ''),
    type: String(field.type ?? ''),
    perstag: String(field.perstag ?? ''),
    options: [],
  };
}

function toContact(contact: Record<string, unknown>): AcContact {
  return { id: String(contact.id), email: String(contact.email ?? '') };
}
