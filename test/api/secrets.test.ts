import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { insertProfiles, makeProfiles } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { waitForRun } from '../support/runs.ts';
import {
  createConnectionDoc,
  createExportDoc,
  createSegmentDoc,
  runExportDoc,
  updateConnectionDoc,
} from './helpers.ts';

const goodKey = 'leak-check-key-7f3a9c1e5d2b';
const secondKey = 'leak-check-key-second-99aa11';
const rejectedKey = 'leak-check-rejected-key-0042';
const revokedKey = 'leak-check-revoked-key-0077';
const numericKey = 98765432123456;
const secrets = [goodKey, secondKey, rejectedKey, revokedKey, String(numericKey)];

const scale = 20;
let fake: FakeActiveCampaign;
let outbound: Outbound;
let unreachableHost: string;
const responses: string[] = [];
const logs: string[] = [];
const restore: Array<() => void> = [];

/** Records every console call and every write to stdout/stderr of this process (API and worker). */
function captureOutput() {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      logs.push(
        args.map((a) => (a instanceof Error ? `${a.stack} ${JSON.stringify(a)}` : String(a))).join(' '),
      );
    };
    restore.push(() => {
      console[method] = original;
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return original(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
}

async function call(query: string, variables: Record<string, unknown> = {}) {
  const response = await outbound.api.fetch(
    new Request('http://outbound.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${outbound.adminToken}` },
      body: JSON.stringify({ query, variables }),
    }),
  );
  const text = await response.text();
  responses.push(text);
  return JSON.parse(text);
}

beforeAll(async () => {
  captureOutput();
  fake = await startFakeActiveCampaign({ scale, accounts: [{ apiKeys: [goodKey, secondKey], lists: [7] }] });
  unreachableHost = `127.0.0.1:${await freePort()}`;
  outbound = await startOutbound({ insecureHosts: [fake.host, unreachableHost], rateScale: scale });
  await insertProfiles(outbound.sql, makeProfiles(5));
});

afterAll(async () => {
  for (const undo of restore.reverse()) undo();
  await outbound?.close();
  await fake?.close();
});

const connectionInput = (overrides: Record<string, unknown> = {}) => ({
  displayName: 'Leak check',
  apiHost: fake.host,
  apiKey: goodKey,
  acceptDataPrivacy: true,
  ...overrides,
});

test('no response, log line, stored row or Temporal history ever contains an API key', async () => {
  console.warn('capture-canary');
  const refused = await call(createConnectionDoc, { input: connectionInput({ apiKey: rejectedKey }) });
  expect(refused.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
  const unreachable = await call(createConnectionDoc, {
    input: connectionInput({ apiHost: unreachableHost }),
  });
  expect(unreachable.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
  // graphql-js quotes a whole invalid input value in its message, key included: these must be redacted.
  const { acceptDataPrivacy: _, ...withoutConsent } = connectionInput();
  const incomplete = await call(createConnectionDoc, { input: withoutConsent });
  expect(incomplete.errors[0].message).toMatch(/acceptDataPrivacy/);
  const numeric = await call(createConnectionDoc, { input: connectionInput({ apiKey: numericKey }) });
  expect(numeric.errors[0].message).toMatch(/input\.apiKey.*String cannot represent/);
  const literal = await call(
    `mutation { createConnection(input: { displayName: "x", apiHost: "a.api-us1.com", apiKey: ${numericKey}, acceptDataPrivacy: true }) { id } }`,
  );
  expect(literal.errors[0].message).toMatch(/String cannot represent/);

  const { data } = await call(createConnectionDoc, { input: connectionInput() });
  const connectionId = data.createConnection.id;
  expect(data.createConnection.apiKeyMasked).toBe('••••5d2b');
  const updated = await call(updateConnectionDoc, { id: connectionId, input: { apiKey: secondKey } });
  expect(updated.data.updateConnection.apiKeyMasked).toBe('••••aa11');
  const rejectedUpdate = await call(updateConnectionDoc, {
    id: connectionId,
    input: { apiKey: rejectedKey },
  });
  expect(rejectedUpdate.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
  await call('{ connections { nodes { id apiHost apiKeyMasked exportUser { email } } } }');

  const segment = await call(createSegmentDoc, {
    input: { name: 'Five', rule: { customerIds: makeProfiles(5).map((p) => p.customerId) } },
  });
  const exportInput = {
    name: 'Leak check export',
    connectionId,
    listId: '7',
    segmentIds: [segment.data.createSegment.id],
    mapping: { email: 'Email', firstName: 'FirstName' },
  };
  fake.account(goodKey).setFaults({ errorRate: 1 });
  const upstreamDown = await call(createExportDoc, { input: exportInput });
  expect(upstreamDown.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
  fake.account(goodKey).setFaults({});
  const created = await call(createExportDoc, { input: exportInput });
  const exportId = created.data.createExport.id;

  // The run retries through the failures; the API, which retries twice at most, is checked down above.
  fake.account(goodKey).setFaults({ errorRate: 0.3 });
  const run = await call(runExportDoc, { id: exportId });
  expect((await waitForRun(outbound, run.data.runExport.id)).status).toBe('SUCCEEDED');
  fake.account(goodKey).setFaults({});

  // A key revoked after connecting: the run fails on ActiveCampaign's 403.
  const revoked = await outbound.deps.secrets.encrypt(revokedKey);
  await outbound.sql`update connections set api_key_ciphertext = ${revoked} where id = ${connectionId}`;
  const failing = await call(runExportDoc, { id: exportId });
  const failed = await waitForRun(outbound, failing.data.runExport.id);
  expect(failed.status).toBe('FAILED');
  expect(failed.error).toMatch(/key/i);
  responses.push(JSON.stringify(failed));

  const history = await outbound.deps.temporal.workflow.getHandle(`export-${exportId}`).fetchHistory();
  const historyText = JSON.stringify(history, (_k, v) =>
    v instanceof Uint8Array ? Buffer.from(v).toString() : v,
  );
  expect(historyText).toContain(exportId);
  const tables = await outbound.sql<{ table_name: string }[]>`
    select table_name from information_schema.tables where table_schema = 'public'`;
  const stored: string[] = [];
  for (const { table_name } of tables) {
    stored.push(JSON.stringify(await outbound.sql.unsafe(`select * from "${table_name}"`)));
  }

  expect(logs.join('\n')).toContain('capture-canary');
  for (const secret of secrets) {
    expect(responses.filter((r) => r.includes(secret))).toEqual([]);
    expect(logs.filter((l) => l.includes(secret))).toEqual([]);
    expect(historyText).not.toContain(secret);
    expect(stored.filter((s) => s.includes(secret))).toEqual([]);
  }
});
