import { type LogLevel, logLevels } from '../core/observability/logger.ts';
import { defaultRunTimeLimitMs, defaultTaskQueue, refreshScheduleId } from '../temporal.config.ts';

/** Reads Outbound's environment once at start-up; a missing or malformed value stops it with what to set. */
export class ConfigError extends Error {}

export type Config = {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  port: number;
  secretKey: string;
  insecureHosts: Set<string>;
  maxProfilesPerExport: number;
  temporalUiUrl: string;
  /** 1 for ActiveCampaign's documented limits; the fake's time scale for tests and benchmarks; 0 = no limiter. */
  rateScale: number;
  runTimeLimitMs: number;
  /** A run may unsubscribe at most this share of an export's list members without confirmation. */
  unsubscribeGuardPercent: number;
  /** The Temporal Schedule that drives the refresh (one per deployment). */
  refreshScheduleId: string;
  /** The worker's own HTTP port: `/healthz`, `/readyz`, `/metrics`. */
  workerHttpPort: number;
  logLevel: LogLevel;
};

type Env = Record<string, string | undefined>;

function decodedLength(base64: string): number {
  try {
    return atob(base64).length;
  } catch {
    return -1;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const required = (name: string, hint: string) => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set: ${hint}`);
    return value ?? '';
  };
  const number = (name: string, fallback: number, valid: (n: number) => boolean, hint: string) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || !valid(value)) problems.push(`${name}=${raw} is not valid: ${hint}`);
    return value;
  };
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
  const temporalUiUrl = env.TEMPORAL_UI_URL?.trim() || 'http://localhost:8233';
  try {
    new URL(temporalUiUrl);
  } catch {
    problems.push(`TEMPORAL_UI_URL=${temporalUiUrl} is not a URL`);
  }
  const logLevel = (env.OUTBOUND_LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!logLevels.includes(logLevel)) {
    problems.push(
      `OUTBOUND_LOG_LEVEL=${env.OUTBOUND_LOG_LEVEL} is not valid: one of ${logLevels.join(', ')}`,
    );
  }
  const config: Config = {
    databaseUrl,
    temporalAddress: env.TEMPORAL_ADDRESS?.trim() || 'localhost:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || defaultTaskQueue,
    port: number('PORT', 4000, (n) => Number.isInteger(n) && n > 0 && n < 65536, 'a TCP port such as 4000'),
    secretKey,
    insecureHosts: new Set(
      (env.OUTBOUND_AC_INSECURE_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
    maxProfilesPerExport: number(
      'OUTBOUND_MAX_PROFILES_PER_EXPORT',
      1_000_000,
      (n) => Number.isInteger(n) && n > 0,
      'a positive whole number (default 1000000)',
    ),
    temporalUiUrl: temporalUiUrl.replace(/\/$/, ''),
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
    refreshScheduleId: env.OUTBOUND_REFRESH_SCHEDULE_ID?.trim() || refreshScheduleId,
    workerHttpPort: number(
      'OUTBOUND_WORKER_HTTP_PORT',
      4001,
      (n) => Number.isInteger(n) && n >= 0 && n < 65536,
      'a TCP port such as 4001',
    ),
    logLevel,
  };
  if (problems.length) throw new ConfigError(`Outbound cannot start:\n  - ${problems.join('\n  - ')}`);
  return config;
}
