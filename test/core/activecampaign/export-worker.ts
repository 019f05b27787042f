/**
 * A stand-in for one worker process exporting to an account: its own Postgres pool and limiter, the real
 * client, an export's traffic shape. Started as a child process by limiter.test.ts:
 * prints `ready`, starts on a line on stdin, prints its result as one JSON line.
 */
import { ActiveCampaignClient } from '../../../core/activecampaign/client.ts';
import { createPostgresRateLimiter, documentedLimits } from '../../../core/activecampaign/rate-limiter.ts';
import { createDb } from '../../../db/client.ts';
import { exportBatches, makeBatches } from './exporter.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const scale = Number(env('SCALE'));
const database = createDb(env('DATABASE_URL'), { max: 2, applicationName: `export-worker-${process.pid}` });
try {
  const limiter = createPostgresRateLimiter(database.sql, documentedLimits, scale);
  const client = new ActiveCampaignClient({
    baseUrl: env('AC_BASE_URL'),
    apiKey: env('AC_KEY'),
    account: env('AC_ACCOUNT'),
    limiter,
    rateLimitPauseMs: 60_000 / 100 / scale,
  });
  const batches = makeBatches(
    Number(env('BATCHES')),
    Number(env('BATCH_SIZE')),
    env('PREFIX'),
    Number(env('LIST_ID')),
  );
  // Connected and ready before the parent says go, so both workers start together.
  await database.sql`select 1`;
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const started = Date.now();
  const { batchIds, polls } = await exportBatches(client, batches);
  process.stdout.write(`${JSON.stringify({ batchIds, polls, started, finished: Date.now() })}\n`);
} finally {
  await database.close();
}
