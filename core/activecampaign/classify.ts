import { ActiveCampaignError, type ValidationFailure } from './errors.ts';

/** Numbers that ActiveCampaign sends as strings in most answers and as numbers in some. */
export function asNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? Number.NaN);
}

/** `Retry-After` in delta-seconds (fractions too) or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header?.trim()) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** `failureReasons` mixes per-contact objects (`{contact, failureReason}`) and general strings. */
export function parseValidationFailures(body: unknown): ValidationFailure[] {
  const reasons = (body as { failureReasons?: unknown } | null)?.failureReasons;
  if (!Array.isArray(reasons)) return [];
  return reasons.map((r) => {
    if (typeof r !== 'object' || r === null) return { reason: String(r) };
    const contact = asNumber((r as { contact?: unknown }).contact);
    const reason = String((r as { failureReason?: unknown }).failureReason ?? '');
    return Number.isInteger(contact) ? { contact, reason } : { reason };
  });
}

/** The bulk import's own limit answers 400, not 429: recognised by its message or general reason. */
function isBulkRateLimit(body: unknown): boolean {
  const { message, failureReasons } = (body ?? {}) as { message?: unknown; failureReasons?: unknown };
  const texts = [message, ...(Array.isArray(failureReasons) ? failureReasons : [])].filter(
    (t): t is string => typeof t === 'string',
  );
  return texts.some((t) => /rate limit|imports may be requested per minute/i.test(t));
}

/**
 * A failed answer in the terms the workflow acts on. Retryable: 429, the bulk import's rate-limit 400,
 * 408, 5xx. Permanent: 401/403 (key), 402 (payment), 404/410 (gone), validation and any other 4xx,
 * which a retry would only repeat. Messages name the endpoint and status, never data.
 */
export function classify(
  where: string,
  status: number,
  retryAfter: string | null,
  body: unknown,
): ActiveCampaignError {
  const retryAfterMs = parseRetryAfter(retryAfter);
  if (status === 401 || status === 403) {
    return new ActiveCampaignError(
      'CredentialsRejected',
      `ActiveCampaign rejected the API key (${status} on ${where}).`,
      { status },
    );
  }
  if (status === 402) {
    return new ActiveCampaignError(
      'PaymentRequired',
      `ActiveCampaign reports a payment problem on the account (402 on ${where}).`,
      { status },
    );
  }
  if (status === 404 || status === 410) {
    return new ActiveCampaignError('NotFound', `${where} was not found on ActiveCampaign (${status}).`, {
      status,
    });
  }
  if (status === 429) {
    return new ActiveCampaignError('RateLimited', `${where} was rate limited (429).`, {
      status,
      retryAfterMs,
    });
  }
  if (status === 400 && isBulkRateLimit(body)) {
    return new ActiveCampaignError(
      'RateLimited',
      `${where} hit the bulk import limit (400 Rate limit exceeded).`,
      {
        status,
        retryAfterMs,
      },
    );
  }
  if (status === 408 || status >= 500 || status < 400) {
    return new ActiveCampaignError('Unavailable', `${where} failed with HTTP ${status}.`, {
      status,
      retryAfterMs,
    });
  }
  const what = status === 400 || status === 422 ? 'failed validation' : 'was refused';
  return new ActiveCampaignError('Validation', `${where} ${what} (${status}).`, {
    status,
    failures: parseValidationFailures(body),
  });
}
