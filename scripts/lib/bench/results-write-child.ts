/**
 * One results write in its own process, as the worker's activity does it: `writeRunResults` for
 * BENCH_RUN_ID, then one JSON line with its seconds and the process's resident memory (VmHWM: the peak).
 * Started by results-write.ts with the worker's heap limit.
 */
import { readFileSync } from 'node:fs';
import { writeRunResults } from '../../../core/results/write-run-results.ts';
import { createSecretBox } from '../../../core/secrets.ts';
import { createDb } from '../../../db/client.ts';

const residentMb = (field: 'VmRSS' | 'VmHWM') =>
  Math.round(
    Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) /
      1024,
  );

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const database = createDb(env('DATABASE_URL'), { max: 2, applicationName: 'outbound-bench-results' });
try {
  const secrets = await createSecretBox(env('OUTBOUND_SECRET_KEY'));
  const hostPolicy = { insecureHosts: new Set(env('OUTBOUND_INSECURE_HOSTS').split(',')) };
  const startRssMb = residentMb('VmRSS');
  let rows = 0;
  const started = performance.now();
  const { written } = await writeRunResults(
    { sql: database.sql, secrets, hostPolicy, onProgress: (n) => (rows += n) },
    env('BENCH_RUN_ID'),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ written, seconds, rows, startRssMb, peakRssMb: residentMb('VmHWM') }));
} finally {
  await database.close();
}
