import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Labels are bounded sets: route templates, status codes, run status and trigger, operation names. */
const maxOperations = 100;
const operationName = /^[A-Za-z0-9_]{1,64}$/;

/**
 * Outbound's Prometheus metrics, one registry per process (tests make one per API or worker). Every name
 * starts with `outbound_`; no label carries an email, key or free text.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'outbound_' });
  const registers = [registry];
  const operations = new Set<string>();
  const metrics = {
    registry,
    runsStarted: new Counter({
      name: 'outbound_runs_started_total',
      help: 'Export runs that started pushing (prepareRun succeeded), by trigger.',
      labelNames: ['trigger'] as const,
      registers,
    }),
    runsFinished: new Counter({
      name: 'outbound_runs_finished_total',
      help: 'Export runs that recorded an outcome, by status and trigger.',
      labelNames: ['status', 'trigger'] as const,
      registers,
    }),
    contacts: new Counter({
      name: 'outbound_contacts_total',
      help: 'Contacts of export runs by outcome: sent (in a bulk import), rejected (invalid or duplicate email), skipped (unchanged), refused (ActiveCampaign refuses them for good: unsubscribed, excluded, contact limit; skipped until their data changes), failed (ActiveCampaign failed the import; retried next run).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    activeCampaignRequests: new Counter({
      name: 'outbound_activecampaign_requests_total',
      help: 'ActiveCampaign API requests by method, route template and HTTP status ("network" when no answer came).',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    activeCampaignRateLimited: new Counter({
      name: 'outbound_activecampaign_rate_limited_total',
      help: 'ActiveCampaign answers saying a rate limit was hit (429, or the bulk import 400), by method and route template.',
      labelNames: ['method', 'route'] as const,
      registers,
    }),
    limiterWait: new Histogram({
      name: 'outbound_limiter_wait_seconds',
      help: "Time a request waited for its slot in the account's shared rate budget, by request kind.",
      labelNames: ['kind'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    importCompletion: new Histogram({
      name: 'outbound_import_completion_seconds',
      help: 'From a bulk import being accepted to the poll that found it finished (or gave up on it).',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 1800],
      registers,
    }),
    pushRate: new Gauge({
      name: 'outbound_push_contacts_per_second',
      help: 'Contacts sent per second by the last pushPage call that sent any.',
      registers,
    }),
    apiRequestDuration: new Histogram({
      name: 'outbound_api_request_duration_seconds',
      help: 'GraphQL request duration by operation name (names outside [A-Za-z0-9_]{1,64}, or past the first 100, count as "other").',
      labelNames: ['operation'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    /** A client-chosen operation name as a bounded label value. */
    operationLabel(name: string | null | undefined): string {
      if (!name) return 'anonymous';
      if (!operationName.test(name)) return 'other';
      if (operations.has(name)) return name;
      if (operations.size >= maxOperations) return 'other';
      operations.add(name);
      return name;
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The literal path segments of the ActiveCampaign routes Outbound calls; any other segment is an id. */
const routeWords = new Set([
  'users',
  'me',
  'lists',
  'fields',
  'contacts',
  'contact',
  'sync',
  'contactLists',
  'import',
  'bulk_import',
  'info',
]);

/** An ActiveCampaign path as its route template (a bounded label): ids become `:id`, the query goes. */
export function routeTemplate(path: string): string {
  const [withoutQuery = ''] = path.split('?');
  const template = withoutQuery
    .split('/')
    .map((segment) => (segment === '' || routeWords.has(segment) ? segment : ':id'))
    .join('/');
  return `/api/3${template}`;
}
