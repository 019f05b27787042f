import { accessSync, constants, statSync } from 'node:fs';
import { defaultMaxContactAttempts } from '../core/activecampaign/refusal.ts';
import { parseInsecureHosts } from '../core/network/outbound-hosts.ts';
import { type LogLevel, logLevels } from '../core/observability/logger.ts';
import { defaultProfileGrowthLimits, type ProfileGrowthLimits } from '../core/profiles/store.ts';
import { type ActiveRunCaps, defaultActiveRunCaps } from '../core/runs/active-run-caps.ts';
import { defaultSegmentRefreshTimeLimitMs } from '../core/segments/segment-refresh.ts';
import { defaultSourceStatementTimeoutMs } from '../core/sources/source-database.ts';
import { defaultRunTimeLimitMs, defaultTaskQueue, refreshScheduleId } from '../temporal.config.ts';
import { loadTemporalSettings, type TemporalSettings } from './lib/temporal-settings.ts';

/** Reads Outbound's environment once at start-up; a missing or malformed value stops it with what to set. */
export class ConfigError extends Error {}

export type Config = TemporalSettings & {
  databaseUrl: string;
  taskQueue: string;
  port: number;
  secretKey: string;
  insecureHosts: Set<string>;
  maxProfilesPerExport: number;
  /** Counted failures (NOT_CREATED …) a contact gets with unchanged data before it is skipped. */
  maxContactAttempts: number;
  temporalUiUrl: string;
  /** Where alert e-mails are sent through (smtp:// or smtps://); null: e-mail channels cannot send. */
  smtpUrl: string | null;
  /** The From of alert e-mails. */
  alertEmailFrom: string;
  /** The address users open Outbound at; alerts link to a run under it when set. */
  publicUrl: string | null;
  /** 1 for ActiveCampaign's documented limits; the fake's time scale for tests and benchmarks; 0 = no limiter. */
  rateScale: number;
  runTimeLimitMs: number;
  /** A run may unsubscribe at most this share of an export's list members without confirmation. */
  unsubscribeGuardPercent: number;
  /** A source sync removing more of the source's profiles stops until confirmed. */
  sourceMaxRemovalPercent: number;
  /** A source sync's statements time out after this; previews after the smaller of it and 30 s. */
  sourceStatementTimeoutMs: number;
  /** The Temporal Schedule that drives the refresh (one per deployment). */
  refreshScheduleId: string;
  /** One segment refresh's time budget, in the API and in the scheduled refresh. */
  segmentRefreshTimeLimitMs: number;
  /** Attribute keys per profile and distinct attribute names overall. */
  profileLimits: ProfileGrowthLimits;
  /** Open exportRunProgress streams per user and per API process. */
  maxSubscriptionsPerUser: number;
  /** Runs queued or running at once per user and per connection. */
  activeRunCaps: ActiveRunCaps;
  maxSubscriptionsPerProcess: number;
  /** Origins allowed to call the API from a browser on another origin. */
  corsOrigins: string[];
  /** GraphiQL, and introspection and suggestions without a token; off in production. */
  playground: boolean;
  /** The client's address is the last X-Forwarded-For entry (the API is behind a reverse proxy). */
  trustProxy: boolean;
  /** The worker's own HTTP port: `/healthz`, `/readyz`, `/metrics`. */
  workerHttpPort: number;
  /** Activities one worker runs at once: a push per running export, source syncs, refreshes, alerts. */
  workerMaxActivities: number;
  logLevel: LogLevel;
  /** A workflow bundle built by `npm run build:workflows`; without it the worker bundles workflows/ at start. */
  workflowBundlePath?: string;
};

type Env = Record<string, string | undefined>;

function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function decodedLength(base64: string): number {
  try {
    return atob(base64).length;
  } catch {
    return -1;
  }
}

const positiveWhole = (n: number) => Number.isInteger(n) && n > 0;

/**
 * A push is an activity for the whole of its run's paced push: fewer slots than exports running at
 * once would make a run wait behind another's (measured: the 17th to 20th of 20 runs on one worker at
 * 16 slots took 1.8 times as long). Each push holds its read-ahead pages, ~6 MB of the worker's RSS.
 */
export const defaultWorkerMaxActivities = 32;

function numberReader(env: Env, problems: string[]) {
  return (name: string, fallback: number, valid: (n: number) => boolean, hint: string) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || !valid(value)) problems.push(`${name}=${raw} is not valid: ${hint}`);
    return value;
  };
}

function readProfileLimits(env: Env, problems: string[]): ProfileGrowthLimits {
  const number = numberReader(env, problems);
  const { maxAttributesPerProfile, maxAttributeNames } = defaultProfileGrowthLimits;
  return {
    maxAttributesPerProfile: number(
      'OUTBOUND_MAX_ATTRIBUTES_PER_PROFILE',
      maxAttributesPerProfile,
      positiveWhole,
      `a positive whole number (default ${maxAttributesPerProfile})`,
    ),
    maxAttributeNames: number(
      'OUTBOUND_MAX_ATTRIBUTE_NAMES',
      maxAttributeNames,
      positiveWhole,
      `a positive whole number (default ${maxAttributeNames})`,
    ),
  };
}

/** The profile limits alone, for the CLI (which needs neither the secret key nor Temporal). */
export function loadProfileLimits(env: Env = process.env): ProfileGrowthLimits {
  const problems: string[] = [];
  const limits = readProfileLimits(env, problems);
  if (problems.length) throw new ConfigError(`Outbound cannot start:\n  - ${problems.join('\n  - ')}`);
  return limits;
}

export type LoadConfigOptions = {
  /** `npm run dev`: its own dev server's address; Temporal's variables and profiles are not read. */
  temporalDevServer?: string;
};

export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const problems: string[] = [];
  const required = (name: string, hint: string) => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set: ${hint}`);
    return value ?? '';
  };
  const number = numberReader(env, problems);
  const databaseUrl = required(
    'DATABASE_URL',
    'set it to a Postgres URL, e.g. postgres://postgres@127.0.0.1:5432/outbound',
  );
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(
      'DATABASE_URL must start with postgres:// (e.g. postgres://postgres@127.0.0.1:5432/outbound)',
    );
  }
  const secretKey = required(
    'OUTBOUND_SECRET_KEY',
    'set it to 32 random bytes in base64 (openssl rand -base64 32); it encrypts API keys at rest',
  );
  if (secretKey && decodedLength(secretKey) !== 32) {
    problems.push('OUTBOUND_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)');
  }
  const onOff = (name: string, fallback: boolean) => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (raw !== 'on' && raw !== 'off') problems.push(`${name}=${raw} is not valid: on or off`);
    return raw === 'on';
  };
  const corsOrigins = (env.OUTBOUND_CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (URL.canParse(origin) && new URL(origin).origin === origin) continue;
    problems.push(
      `OUTBOUND_CORS_ORIGINS: ${origin} is not an origin (scheme://host[:port], no path), e.g. https://console.example.com`,
    );
  }
  const temporalUiUrl = env.TEMPORAL_UI_URL?.trim() || 'http://localhost:8233';
  try {
    new URL(temporalUiUrl);
  } catch {
    problems.push(`TEMPORAL_UI_URL=${temporalUiUrl} is not a URL`);
  }
  const smtpUrl = env.OUTBOUND_SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    problems.push(
      'OUTBOUND_SMTP_URL must start with smtp:// or smtps:// (e.g. smtps://user:pass@mail.example.com)',
    );
  }
  const publicUrl = env.OUTBOUND_PUBLIC_URL?.trim().replace(/\/$/, '') || null;
  if (publicUrl && !URL.canParse(publicUrl)) problems.push(`OUTBOUND_PUBLIC_URL=${publicUrl} is not a URL`);
  const temporal: TemporalSettings = options.temporalDevServer
    ? { temporalAddress: options.temporalDevServer, temporalNamespace: 'default' }
    : loadTemporalSettings(env, problems);
  const logLevel = (env.OUTBOUND_LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!logLevels.includes(logLevel)) {
    problems.push(
      `OUTBOUND_LOG_LEVEL=${env.OUTBOUND_LOG_LEVEL} is not valid: one of ${logLevels.join(', ')}`,
    );
  }
  const workflowBundlePath = env.OUTBOUND_WORKFLOW_BUNDLE?.trim() || undefined;
  if (workflowBundlePath && !isReadableFile(workflowBundlePath)) {
    problems.push(
      `OUTBOUND_WORKFLOW_BUNDLE=${workflowBundlePath} is not a readable file: build it with npm run build:workflows, or unset it`,
    );
  }
  const config: Config = {
    ...temporal,
    databaseUrl,
    taskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || defaultTaskQueue,
    port: number('PORT', 4000, (n) => Number.isInteger(n) && n > 0 && n < 65536, 'a TCP port such as 4000'),
    secretKey,
    insecureHosts: parseInsecureHosts(env.OUTBOUND_INSECURE_HOSTS, env.OUTBOUND_AC_INSECURE_HOSTS),
    maxProfilesPerExport: number(
      'OUTBOUND_MAX_PROFILES_PER_EXPORT',
      1_000_000,
      (n) => Number.isInteger(n) && n > 0,
      'a positive whole number (default 1000000)',
    ),
    maxContactAttempts: number(
      'OUTBOUND_MAX_CONTACT_ATTEMPTS',
      defaultMaxContactAttempts,
      positiveWhole,
      `a positive whole number (default ${defaultMaxContactAttempts})`,
    ),
    temporalUiUrl: temporalUiUrl.replace(/\/$/, ''),
    smtpUrl,
    alertEmailFrom: env.OUTBOUND_ALERT_EMAIL_FROM?.trim() || 'Outbound <outbound@localhost>',
    publicUrl,
    rateScale: number(
      'OUTBOUND_AC_RATE_SCALE',
      1,
      (n) => n >= 0,
      'a number ≥ 0 (1 = the documented limits, 0 = none)',
    ),
    runTimeLimitMs: number(
      'OUTBOUND_RUN_TIME_LIMIT_MS',
      defaultRunTimeLimitMs,
      (n) => Number.isInteger(n) && n > 0,
      'milliseconds (default 5400000 = 90 minutes)',
    ),
    unsubscribeGuardPercent: number(
      'OUTBOUND_UNSUBSCRIBE_GUARD_PERCENT',
      10,
      (n) => n >= 0 && n <= 100,
      'a percentage from 0 to 100 (default 10)',
    ),
    sourceMaxRemovalPercent: number(
      'OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT',
      10,
      (n) => n >= 0 && n <= 100,
      'a percentage from 0 to 100 (default 10)',
    ),
    sourceStatementTimeoutMs: number(
      'OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS',
      defaultSourceStatementTimeoutMs,
      positiveWhole,
      `milliseconds (default ${defaultSourceStatementTimeoutMs} = 5 minutes; previews use at most 30000)`,
    ),
    refreshScheduleId: env.OUTBOUND_REFRESH_SCHEDULE_ID?.trim() || refreshScheduleId,
    segmentRefreshTimeLimitMs: number(
      'OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS',
      defaultSegmentRefreshTimeLimitMs,
      (n) => Number.isInteger(n) && n > 0,
      `milliseconds (default ${defaultSegmentRefreshTimeLimitMs} = 2 minutes)`,
    ),
    profileLimits: readProfileLimits(env, problems),
    maxSubscriptionsPerUser: number(
      'OUTBOUND_MAX_SUBSCRIPTIONS_PER_USER',
      10,
      positiveWhole,
      'a positive whole number (default 10)',
    ),
    activeRunCaps: {
      perUser: number(
        'OUTBOUND_MAX_ACTIVE_RUNS_PER_USER',
        defaultActiveRunCaps.perUser,
        positiveWhole,
        `a positive whole number (default ${defaultActiveRunCaps.perUser})`,
      ),
      perConnection: number(
        'OUTBOUND_MAX_ACTIVE_RUNS_PER_CONNECTION',
        defaultActiveRunCaps.perConnection,
        positiveWhole,
        `a positive whole number (default ${defaultActiveRunCaps.perConnection})`,
      ),
    },
    maxSubscriptionsPerProcess: number(
      'OUTBOUND_MAX_SUBSCRIPTIONS_PER_PROCESS',
      500,
      positiveWhole,
      'a positive whole number (default 500)',
    ),
    corsOrigins,
    playground: onOff('OUTBOUND_PLAYGROUND', true),
    trustProxy: onOff('OUTBOUND_TRUST_PROXY', false),
    workerHttpPort: number(
      'OUTBOUND_WORKER_HTTP_PORT',
      4001,
      (n) => Number.isInteger(n) && n >= 0 && n < 65536,
      'a TCP port such as 4001',
    ),
    workerMaxActivities: number(
      'OUTBOUND_WORKER_MAX_ACTIVITIES',
      defaultWorkerMaxActivities,
      positiveWhole,
      `a positive whole number (default ${defaultWorkerMaxActivities})`,
    ),
    logLevel,
    workflowBundlePath,
  };
  if (problems.length) throw new ConfigError(`Outbound cannot start:\n  - ${problems.join('\n  - ')}`);
  return config;
}
