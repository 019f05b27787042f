import type { Registry } from 'prom-client';
import { withoutQuotedData } from './without-data.ts';

/** Resolves when what it checks is reachable and usable; throws (or hangs past the timeout) when not. */
export type ReadinessCheck = () => Promise<void>;

export type HealthOptions = {
  /** Named readiness checks (postgres, temporal, migrations): `/readyz` is 200 only when all pass. */
  checks: Record<string, ReadinessCheck>;
  registry: Registry;
  /** More Prometheus text appended to `/metrics` (the Temporal SDK's own metrics on the worker). */
  extraMetrics?: () => Promise<string>;
  /** Per check: a check that takes longer counts as down. Default 2 s. */
  timeoutMs?: number;
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function withTimeout(check: ReadinessCheck, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * `GET /healthz` (the process answers), `GET /readyz` (every check passes: 200, else 503, with each
 * check's state as JSON) and `GET /metrics` (Prometheus text). Returns undefined for other requests.
 */
export function healthRoutes(options: HealthOptions) {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return async (request: Request): Promise<Response | undefined> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const { pathname } = new URL(request.url);
    if (pathname === '/healthz') return json(200, { status: 'ok' });
    if (pathname === '/readyz') {
      const results = await Promise.all(
        Object.entries(options.checks).map(async ([name, check]) => {
          try {
            await withTimeout(check, timeoutMs);
            return [name, { ok: true }] as const;
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            return [name, { ok: false, error: withoutQuotedData(message).slice(0, 200) }] as const;
          }
        }),
      );
      const ready = results.every(([, result]) => result.ok);
      return json(ready ? 200 : 503, {
        status: ready ? 'ready' : 'unavailable',
        checks: Object.fromEntries(results),
      });
    }
    if (pathname === '/metrics') {
      const own = await options.registry.metrics();
      const extra = options.extraMetrics ? await options.extraMetrics().catch(() => '') : '';
      return new Response(extra ? `${own}\n${extra}` : own, {
        headers: { 'content-type': options.registry.contentType },
      });
    }
    return undefined;
  };
}

export type HealthRoutes = ReturnType<typeof healthRoutes>;
