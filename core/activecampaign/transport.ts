import { type Liveness, noLiveness } from '../liveness.ts';
import { type Metrics, routeTemplate } from '../observability/metrics.ts';
import { classify } from './classify.ts';
import { ActiveCampaignError } from './errors.ts';
import { type Answer, exchange } from './http-exchange.ts';
import { type Pace, type RateLimiter, type RequestKind, sleep } from './rate-limiter.ts';

export type TransportOptions = {
  /** e.g. https://acme.api-us1.com/api/3 (see resolveBaseUrl). */
  baseUrl: string;
  apiKey: string;
  /** The account whose budget the requests draw on: its API host. */
  account: string;
  limiter: RateLimiter;
  /** Aborts waits and requests: pass the activity's cancellation signal. */
  signal?: AbortSignal;
  /** Told of the waits that end by themselves: each attempt (it has a timeout) and the pauses between. */
  liveness?: Liveness;
  /** Per attempt, including reading the answer. Default 30 s. */
  timeoutMs?: number;
  /** Attempts per request for retryable failures before the error reaches the caller. Default 5. */
  maxAttempts?: number;
  /** Pause after a rate-limit answer that carries no Retry-After (the bulk import's 400). Default 1 s. */
  rateLimitPauseMs?: number;
  /** Counts requests by route and status, rate-limit answers and the waits for a slot. */
  metrics?: Metrics;
  /** The account's general rate window (1 s at the documented limits): the pause once RateLimit-Remaining is 0. */
  rateWindowMs?: number;
  /** Hears the RateLimit-Limit / RateLimit-Remaining headers of each answer that carries them. */
  onRateHeaders?: (headers: { limit?: number; remaining?: number }) => void;
};

export type RequestOptions = {
  body?: unknown;
  /** The body already serialized (the export's hot path builds it from contacts it serialized anyway). */
  json?: string;
  kind?: RequestKind;
  query?: Record<string, string | number>;
  /**
   * Once sent, let the request finish even if the signal aborts meanwhile (waits before sending still
   * stop): an import ActiveCampaign may have accepted must be answered, so it can be recorded.
   */
  completeOnceSent?: boolean;
  /** The first attempt's slot, reserved ahead, and who to tell when it is sent. */
  pace?: Pace;
  /** A 2xx without a JSON body is a success (answers whose body is not documented, e.g. a DELETE). */
  emptyOk?: boolean;
};

/** Pause before retry `attempt` + 1 after a transient failure: exponential, capped, jittered. */
export function backoffMs(attempt: number): number {
  return Math.min(200 * 2 ** (attempt - 1), 5_000) * (0.5 + Math.random() / 2);
}

/**
 * One API call: waits for the account's rate budget before every attempt and retries what a retry can
 * fix. A rate-limit answer pushes the account's shared budget out by Retry-After (so every worker
 * pauses, not only this one) before this request waits it out. Other errors are thrown at once.
 */
export async function request<T>(
  options: TransportOptions,
  method: string,
  path: string,
  {
    body,
    json,
    kind = 'general',
    query,
    completeOnceSent = false,
    pace,
    emptyOk = false,
  }: RequestOptions = {},
): Promise<T> {
  const { limiter, account, signal, liveness = noLiveness } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const payload = json ?? (body === undefined ? undefined : JSON.stringify(body));
  const search = query
    ? `?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`
    : '';
  for (let attempt = 1; ; attempt++) {
    const waitStarted = performance.now();
    await limiter.acquire(account, kind, signal, attempt === 1 ? pace?.reserved : undefined, liveness);
    options.metrics?.limiterWait.observe({ kind }, (performance.now() - waitStarted) / 1000);
    if (attempt === 1) pace?.sent?.();
    try {
      const { value, exhausted } = await liveness.during(() =>
        send<T>(
          completeOnceSent ? { ...options, signal: undefined } : options,
          method,
          path,
          search,
          payload,
          emptyOk,
        ),
      );
      // RateLimit-Remaining: 0 on a success: the window is used up (by this or another client of the
      // account), so the account's next request waits for the next window instead of meeting a 429.
      if (exhausted) await limiter.backOff(account, 'general', options.rateWindowMs ?? 1000);
      return value;
    } catch (error) {
      if (!(error instanceof ActiveCampaignError) || !error.retryable || attempt >= maxAttempts) throw error;
      const { status, retryAfterMs } = error.details;
      if (error.kind === 'RateLimited') {
        const pause = retryAfterMs ?? options.rateLimitPauseMs ?? 1000;
        await limiter.backOff(account, status === 429 ? 'general' : kind, pause);
        await liveness.during(() => sleep(pause, signal));
      } else if (retryAfterMs !== undefined) {
        // A 503 that says when to come back: the whole account waits.
        await limiter.backOff(account, 'general', retryAfterMs);
        await liveness.during(() => sleep(retryAfterMs, signal));
      } else {
        await liveness.during(() => sleep(backoffMs(attempt), signal));
      }
    }
  }
}

async function send<T>(
  options: TransportOptions,
  method: string,
  path: string,
  search: string,
  payload: string | undefined,
  emptyOk: boolean,
): Promise<{ value: T; exhausted: boolean }> {
  const { baseUrl, apiKey, signal, metrics } = options;
  const labels = metrics ? { method, route: routeTemplate(path) } : undefined;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const where = `${method} ${path}`;
  const failed = (): never => {
    if (signal?.aborted) throw signal.reason;
    throw new ActiveCampaignError(
      'Network',
      `${where} ${timeout.aborted ? 'timed out' : 'failed (connection error)'}.`,
    );
  };
  let answer: Answer;
  try {
    answer = await exchange(new URL(`${baseUrl}${path}${search}`), {
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
    if (labels) metrics?.activeCampaignRequests.inc({ ...labels, status: 'network' });
    return failed();
  }
  const { status, text, rateLimit } = answer;
  if (rateLimit.limit !== undefined || rateLimit.remaining !== undefined) options.onRateHeaders?.(rateLimit);
  if (labels) metrics?.activeCampaignRequests.inc({ ...labels, status: String(status) });
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  if (status >= 200 && status < 300) {
    const exhausted = rateLimit.remaining === 0;
    if (emptyOk && (body === null || typeof body !== 'object')) return { value: {} as T, exhausted };
    if (body === null || typeof body !== 'object') {
      throw new ActiveCampaignError('Unavailable', `${where} answered ${status} without JSON.`, { status });
    }
    return { value: body as T, exhausted };
  }
  const error = classify(where, status, answer.retryAfter, body);
  if (labels && error.kind === 'RateLimited') metrics?.activeCampaignRateLimited.inc(labels);
  throw error;
}
