import { ActiveCampaignError, type ValidationFailure } from './errors.ts';
import { type RateLimiter, type RequestKind, sleep } from './rate-limiter.ts';
import type {
  AcContact,
  AcField,
  AcList,
  BulkContact,
  ImportInfo,
  ImportStatus,
  ListStatus,
} from './types.ts';

export type ActiveCampaignClientOptions = {
  /** e.g. https://acme.api-us1.com/api/3 (see resolveBaseUrl). */
  baseUrl: string;
  apiKey: string;
  /** The account whose budget the requests draw on: its API host. */
  account: string;
  limiter: RateLimiter;
  /** Aborts waits and requests: pass the activity's cancellation signal. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Attempts per request for retryable failures before the error reaches the caller. */
  maxAttempts?: number;
  /** Pause after a rate-limit answer that carries no Retry-After (the bulk import's 400). */
  rateLimitPauseMs?: number;
};

type RequestOptions = { body?: unknown; kind?: RequestKind; query?: Record<string, string | number> };

const rateLimitMessage = /rate limit/i;

function asNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

function parseValidationFailures(body: unknown): ValidationFailure[] {
  const reasons = (body as { failureReasons?: unknown })?.failureReasons;
  if (!Array.isArray(reasons)) return [];
  return reasons.map((r) => {
    if (typeof r === 'string') return { reason: r };
    const contact = asNumber((r as { contact?: unknown }).contact);
    const reason = String((r as { failureReason?: unknown }).failureReason ?? '');
    return Number.isInteger(contact) ? { contact, reason } : { reason };
  });
}

/** A typed ActiveCampaign v3 client: rate limited per account, retrying what a retry can fix. */
export class ActiveCampaignClient {
  constructor(private readonly options: ActiveCampaignClientOptions) {}

  /** Aborts this client's waits and requests (the activity's cancellation signal). */
  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  withSignal(signal: AbortSignal): ActiveCampaignClient {
    return new ActiveCampaignClient({ ...this.options, signal });
  }

  async me(): Promise<{ id: string }> {
    const body = await this.request<{ user: { id: unknown } }>('GET', '/users/me');
    return { id: String(body.user.id) };
  }

  async getList(listId: string): Promise<AcList> {
    const body = await this.request<{ list: { id: unknown; name: unknown } }>(
      'GET',
      `/lists/${encodeURIComponent(listId)}`,
    );
    return { id: String(body.list.id), name: String(body.list.name ?? '') };
  }

  async fields(): Promise<AcField[]> {
    const fields: AcField[] = [];
    for (let offset = 0; ; offset += 100) {
      const body = await this.request<{ fields: Array<Record<string, unknown>>; meta?: { total?: unknown } }>(
        'GET',
        '/fields',
        {
          query: { limit: 100, offset },
        },
      );
      for (const f of body.fields ?? []) {
        fields.push({
          id: String(f.id),
          title: String(f.title ?? ''),
          type: String(f.type ?? ''),
          perstag: String(f.perstag ?? ''),
        });
      }
      if ((body.fields ?? []).length < 100 || fields.length >= asNumber(body.meta?.total)) return fields;
    }
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
    const body = await this.request<{ contacts: Array<{ id: unknown; email: unknown }> }>('GET', '/contacts', { query });
    const match = (body.contacts ?? []).find((c) => String(c.email).toLowerCase() === email.toLowerCase());
    return match ? { id: String(match.id), email: String(match.email) } : null;
  }

  /** Changes a contact's email in place (PUT /contacts/{id}), keeping its id, lists and history. */
  async updateContactEmail(contactId: string, email: string): Promise<void> {
    await this.request('PUT', `/contacts/${encodeURIComponent(contactId)}`, { body: { contact: { email } } });
  }

  async setListStatus(listId: string, contactId: string, status: ListStatus): Promise<void> {
    await this.request('POST', '/contactLists', {
      body: { contactList: { list: Number(listId), contact: Number(contactId), status } },
    });
  }

  /** Queues an import; a 200 means queued, not done: follow it with importInfo. */
  async bulkImport(contacts: BulkContact[]): Promise<{ batchId: string; queued: number }> {
    const body = await this.request<Record<string, unknown>>('POST', '/import/bulk_import', {
      body: { contacts, exclude_automations: false },
      kind: contacts.length > 1 ? 'bulk' : 'general',
    });
    const success = body.success ?? body.Success;
    if (asNumber(success) !== 1 || typeof body.batchId !== 'string') {
      throw new ActiveCampaignError(
        'Unavailable',
        'POST /import/bulk_import answered 200 without a batch id.',
      );
    }
    return { batchId: body.batchId, queued: asNumber(body.queued_contacts) };
  }

  async importInfo(batchId: string): Promise<ImportInfo> {
    const body = await this.request<{ status?: unknown; success?: unknown; failure?: unknown }>(
      'GET',
      '/import/info',
      {
        query: { batchId },
      },
    );
    const status: ImportStatus =
      body.status === false || body.status == null ? 'queued' : (String(body.status) as ImportStatus);
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
    return { status, success: list(body.success), failure: list(body.failure) };
  }

  private async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { limiter, account, signal } = this.options;
    const maxAttempts = this.options.maxAttempts ?? 5;
    const kind = options.kind ?? 'general';
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const query = options.query
      ? `?${new URLSearchParams(Object.entries(options.query).map(([k, v]) => [k, String(v)]))}`
      : '';
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire(account, kind, signal);
      try {
        return await this.send<T>(method, path, query, payload);
      } catch (error) {
        if (!(error instanceof ActiveCampaignError) || !error.retryable || attempt >= maxAttempts)
          throw error;
        if (error.kind === 'RateLimited') {
          const pause = error.details.retryAfterMs ?? this.options.rateLimitPauseMs ?? 1000;
          await limiter.backOff(account, error.details.status === 429 ? 'general' : 'bulk', pause);
          await sleep(pause, signal);
        } else {
          await sleep(Math.min(200 * 2 ** (attempt - 1), 5_000) * (0.5 + Math.random() / 2), signal);
        }
      }
    }
  }

  private async send<T>(
    method: string,
    path: string,
    query: string,
    payload: string | undefined,
  ): Promise<T> {
    const { baseUrl, apiKey, signal } = this.options;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const where = `${method} ${path}`;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}${query}`, {
        method,
        headers: {
          'Api-Token': apiKey,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': 'application/json' } : {}),
        },
        body: payload,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch {
      if (signal?.aborted) throw signal.reason;
      throw new ActiveCampaignError(
        'Network',
        `${where} ${timeout.aborted ? 'timed out' : 'failed (connection error)'}.`,
      );
    }
    const text = await response.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {}
    if (response.ok) {
      if (body === null)
        throw new ActiveCampaignError('Unavailable', `${where} answered ${response.status} without JSON.`);
      return body as T;
    }
    throw classify(where, response, body);
  }
}

function classify(where: string, response: Response, body: unknown): ActiveCampaignError {
  const status = response.status;
  const message = String((body as { message?: unknown })?.message ?? '');
  switch (true) {
    case status === 403:
      return new ActiveCampaignError(
        'CredentialsRejected',
        `ActiveCampaign rejected the API key (403 on ${where}).`,
        { status },
      );
    case status === 402:
      return new ActiveCampaignError(
        'PaymentRequired',
        `ActiveCampaign reports a payment problem on the account (402 on ${where}).`,
        { status },
      );
    case status === 404:
      return new ActiveCampaignError('NotFound', `${where} was not found on ActiveCampaign (404).`, {
        status,
      });
    case status === 429: {
      const retryAfter = Number.parseFloat(response.headers.get('retry-after') ?? '');
      return new ActiveCampaignError('RateLimited', `${where} was rate limited (429).`, {
        status,
        retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
      });
    }
    case status === 400 && rateLimitMessage.test(message):
      return new ActiveCampaignError(
        'RateLimited',
        `${where} hit the bulk import limit (400 Rate limit exceeded).`,
        { status },
      );
    case status === 400 || status === 422:
      return new ActiveCampaignError('Validation', `${where} failed validation (${status}).`, {
        status,
        failures: parseValidationFailures(body),
      });
    default:
      return new ActiveCampaignError('Unavailable', `${where} failed with HTTP ${status}.`, { status });
  }
}
