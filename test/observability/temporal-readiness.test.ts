import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal-cli.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';

// A Temporal server of this file's own, stopped and started again (never the shared one).
let temporal: TemporalDevServer;
let port: number;
let outbound: Outbound;

beforeAll(async () => {
  port = await freePort();
  temporal = await startTemporalDevServer({ port });
  outbound = await startOutbound({ temporalAddress: temporal.address, worker: false });
});

afterAll(async () => {
  await outbound?.close();
  await temporal?.stop();
});

async function readiness() {
  const response = await outbound.api.fetch(new Request('http://outbound.test/readyz'));
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Polls until /readyz answers `status`, for up to 30 s. */
async function untilReadiness(status: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await readiness();
    if (result.status === status || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('/readyz turns 503 while Temporal is down and 200 when it is back', async () => {
  expect((await readiness()).status).toBe(200);

  await temporal.stop();
  const down = await untilReadiness(503);
  expect(down).toMatchObject({
    status: 503,
    body: { status: 'unavailable', checks: { temporal: { ok: false }, postgres: { ok: true } } },
  });

  temporal = await startTemporalDevServer({ port });
  expect(await untilReadiness(200)).toMatchObject({ status: 200, body: { status: 'ready' } });
});
