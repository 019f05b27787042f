import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { generateSecretKey } from '../../core/secrets.ts';
import { ConfigError, loadConfig } from '../../scripts/config.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli.ts';
import {
  connectTemporalClient,
  describeTemporal,
  TemporalConnectionError,
  temporalConnectionOptions,
} from '../../scripts/lib/temporal-connection.ts';
import { makeTestCertificates, type TestCertificates } from '../support/certificates.ts';
import { runCommand } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTlsProxy, type TlsProxy } from '../support/tls-proxy.ts';
import { startWorkerProcess } from '../support/worker-process.ts';

let certs: TestCertificates;
let proxy: TlsProxy;
let database: TestDatabase;

beforeAll(async () => {
  certs = makeTestCertificates();
  proxy = await startTlsProxy({ target: inject('temporalAddress'), ...certs.server, ca: certs.ca });
  database = await createTestDatabase();
});

afterAll(async () => {
  await proxy?.close();
  await database?.drop();
  if (certs) rmSync(certs.dir, { recursive: true, force: true });
});

/** Outbound's required settings, none of Temporal's: a test adds those. */
const baseEnv = () => ({ DATABASE_URL: database.url, OUTBOUND_SECRET_KEY: generateSecretKey() });

/** The mTLS settings, as an operator sets them for Outbound and the `temporal` CLI alike. */
const mtlsEnv = () => ({
  TEMPORAL_ADDRESS: proxy.address,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca,
  TEMPORAL_TLS_CLIENT_CERT_PATH: certs.client.cert,
  TEMPORAL_TLS_CLIENT_KEY_PATH: certs.client.key,
  TEMPORAL_TLS_SERVER_NAME: certs.serverName,
});

/** Fails the test with the problem when the settings are refused. */
function config(env: Record<string, string>) {
  return loadConfig({ ...baseEnv(), ...env });
}

function configProblem(env: Record<string, string | undefined>): string {
  try {
    loadConfig({ ...baseEnv(), ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the settings were accepted');
}

async function connectProblem(env: Record<string, string>): Promise<string> {
  const error = await connectTemporalClient(config(env)).then(
    async (connection) => {
      await connection.close();
      throw new Error('it connected');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TemporalConnectionError);
  return (error as Error).message;
}

/** A start-up of `npm run start:worker` that must fail: its exit code and output. */
async function failedWorkerStart(env: Record<string, string>) {
  const { code, stdout, stderr } = await runCommand(
    process.execPath,
    ['--import', 'tsx', 'scripts/start-worker.ts'],
    {
      ...process.env,
      ...baseEnv(),
      OUTBOUND_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      ...env,
    },
  );
  return { code, output: stdout + stderr };
}

test('mTLS: the worker entry point and the temporal CLI connect with the same TEMPORAL_TLS_* variables', async () => {
  const taskQueue = `tls-${Math.random().toString(36).slice(2, 10)}`;
  const scheduleId = `refresh-${taskQueue}`;
  const worker = await startWorkerProcess({
    ...baseEnv(),
    ...mtlsEnv(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    OUTBOUND_REFRESH_SCHEDULE_ID: scheduleId,
    OUTBOUND_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
  });
  const client = new Client({ connection: await connectTemporalClient(config(mtlsEnv())) });
  try {
    // Every connection went through the proxy with the client certificate: the worker's two (client and
    // native), its start-up one, and this test's.
    expect(proxy.clients.length).toBeGreaterThanOrEqual(4);
    expect(new Set(proxy.clients)).toEqual(new Set(['outbound-worker']));
    // The worker created the refresh schedule over mTLS; this client reads it over mTLS.
    const schedule = await client.schedule.getHandle(scheduleId).describe();
    expect(schedule.action.type).toBe('startWorkflow');
    expect(describeTemporal(config(mtlsEnv()))).toBe(`${proxy.address}, namespace default, mTLS`);

    // Asynchronously: the proxy runs in this process.
    const cli = await runCommand(
      await ensureTemporalCli(() => {}),
      ['schedule', 'describe', '--schedule-id', scheduleId, '--output', 'json'],
      { ...process.env, ...mtlsEnv() },
    );
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).schedule.action.startWorkflow.taskQueue.name).toBe(taskQueue);
  } finally {
    await client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => {});
    await client.connection.close();
    await worker.kill();
  }
});

test('a wrong CA stops the worker at start, naming TEMPORAL_TLS_SERVER_CA_CERT_PATH', async () => {
  const { code, output } = await failedWorkerStart({
    ...mtlsEnv(),
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.otherCa,
  });
  expect(code).toBe(1);
  expect(output).toContain('Outbound cannot connect to Temporal');
  expect(output).toContain(
    `Temporal at ${proxy.address} presented a certificate the CA in ` +
      `TEMPORAL_TLS_SERVER_CA_CERT_PATH=${certs.otherCa} does not trust`,
  );
  // The message, not a stack trace.
  expect(output).not.toMatch(/\n\s+at /);
});

test('each TLS failure says which setting to fix', async () => {
  // No client certificate for a server that requires one.
  const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...noClientCert } = mtlsEnv();
  expect(await connectProblem(noClientCert)).toMatch(
    /requires a client certificate \(mTLS, .*\): set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/,
  );
  // A client certificate from a CA the server does not accept.
  expect(
    await connectProblem({
      ...mtlsEnv(),
      TEMPORAL_TLS_CLIENT_CERT_PATH: certs.otherClient.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certs.otherClient.key,
    }),
  ).toContain(`refused the client certificate in TEMPORAL_TLS_CLIENT_CERT_PATH=${certs.otherClient.cert}`);
  // A server name the certificate does not hold.
  expect(await connectProblem({ ...mtlsEnv(), TEMPORAL_TLS_SERVER_NAME: 'other.example' })).toMatch(
    /not valid for the name .*other\.example.*Set TEMPORAL_TLS_SERVER_NAME/s,
  );
  // TLS towards the plaintext dev server.
  expect(await connectProblem({ ...mtlsEnv(), TEMPORAL_ADDRESS: inject('temporalAddress') })).toMatch(
    /does not answer TLS .*Check TEMPORAL_ADDRESS/,
  );
});

test('a server that does not answer stops start-up within the connect timeout, naming TEMPORAL_ADDRESS', async () => {
  const nobody = `127.0.0.1:${await freePort()}`;
  expect(await connectProblem({ TEMPORAL_ADDRESS: nobody })).toMatch(
    new RegExp(
      `Temporal at ${nobody} \\(namespace default\\) did not answer: .*Check TEMPORAL_ADDRESS; if the server expects TLS`,
    ),
  );
  // With TLS, the handshake cannot be made: the same, not a certificate problem.
  expect(await connectProblem({ ...mtlsEnv(), TEMPORAL_ADDRESS: nobody })).toContain(
    `Temporal at ${nobody} (namespace default) did not answer`,
  );
});

test('a TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE) configures mTLS; variables override it', async () => {
  const file = join(certs.dir, 'temporal.toml');
  writeFileSync(
    file,
    `[profile.default]\naddress = "127.0.0.1:1"\n\n[profile.prod]\naddress = "${proxy.address}"\nnamespace = "default"\n` +
      `[profile.prod.tls]\nserver_ca_cert_path = "${certs.ca}"\nclient_cert_path = "${certs.client.cert}"\n` +
      `client_key_path = "${certs.client.key}"\nserver_name = "${certs.serverName}"\n`,
  );
  const settings = config({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
  const connection = await connectTemporalClient(settings);
  try {
    const info = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(info.namespaceInfo?.name).toBe('default');
  } finally {
    await connection.close();
  }
  // A variable wins over the profile, and a problem names the profile's key it came from.
  expect(
    config({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other' })
      .temporalNamespace,
  ).toBe('other');
  writeFileSync(
    file,
    `[profile.prod]\naddress = "${proxy.address}"\n[profile.prod.tls]\nserver_ca_cert_path = "${certs.otherCa}"\n`,
  );
  expect(await connectProblem({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' })).toContain(
    `the CA in tls.server_ca_cert_path of [profile.prod] in TEMPORAL_CONFIG_FILE=${file}=${certs.otherCa} does not trust`,
  );
  expect(configProblem({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'staging' })).toContain(
    `TEMPORAL_PROFILE=staging: TEMPORAL_CONFIG_FILE=${file} has no [profile.staging]`,
  );
});

test('misconfigured Temporal settings stop start-up naming the variable, before any connection', () => {
  const missing = join(certs.dir, 'missing.pem');
  expect(configProblem({ ...mtlsEnv(), TEMPORAL_TLS_SERVER_CA_CERT_PATH: missing })).toContain(
    `TEMPORAL_TLS_SERVER_CA_CERT_PATH=${missing} cannot be read (ENOENT)`,
  );
  expect(configProblem({ ...mtlsEnv(), TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.client.key })).toContain(
    `TEMPORAL_TLS_SERVER_CA_CERT_PATH=${certs.client.key} does not hold a PEM certificate`,
  );
  expect(configProblem({ ...mtlsEnv(), TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.client.cert })).toContain(
    'is not a CA certificate',
  );
  expect(configProblem({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_KEY_PATH: certs.otherClient.key })).toContain(
    `TEMPORAL_TLS_CLIENT_KEY_PATH=${certs.otherClient.key} is not the private key of the certificate in ` +
      `TEMPORAL_TLS_CLIENT_CERT_PATH=${certs.client.cert}`,
  );
  expect(configProblem({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_KEY_PATH: undefined })).toContain(
    'is set without a key: set TEMPORAL_TLS_CLIENT_KEY_PATH too',
  );
  expect(configProblem({ TEMPORAL_TLS: 'yes' })).toContain('TEMPORAL_TLS=yes is not valid: true or false');
  expect(configProblem({ TEMPORAL_ADDRESS: 'https://temporal.example.com' })).toContain(
    'TEMPORAL_ADDRESS=https://temporal.example.com is not valid: host:port',
  );
  expect(configProblem({ TEMPORAL_CONFIG_FILE: missing })).toContain(
    `TEMPORAL_CONFIG_FILE=${missing}: there is no such file`,
  );
  // A file TOML cannot parse: said so, without quoting the file (it may hold an API key).
  const broken = join(certs.dir, 'broken.toml');
  writeFileSync(broken, '[profile.default]\napi_key = "broken-file-key-5e6f"\naddress =\n');
  const brokenProblem = configProblem({ TEMPORAL_CONFIG_FILE: broken });
  expect(brokenProblem).toContain(
    `TEMPORAL_CONFIG_FILE=${broken} (profile default) cannot be read: Invalid TOML`,
  );
  expect(brokenProblem).not.toContain('broken-file-key-5e6f');
  expect(configProblem({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' })).toContain(
    'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION is not supported',
  );
});

test('TEMPORAL_API_KEY turns TLS on (Temporal Cloud) and never shows in messages', async () => {
  const apiKey = 'temporal-cloud-key-4b1d-secret';
  const settings = config({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: apiKey });
  expect(temporalConnectionOptions(settings)).toMatchObject({ apiKey, address: 'ns.acct.tmprl.cloud:7233' });
  expect(settings.temporalTls).toBeDefined();
  expect(describeTemporal(settings)).toBe('ns.acct.tmprl.cloud:7233, namespace default, TLS, API key');
  // Against a plaintext server, the failure names the address and what to check, not the key.
  const message = await connectProblem({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_API_KEY: apiKey,
  });
  expect(message).toContain(`Temporal at ${inject('temporalAddress')} does not answer TLS`);
  expect(message).not.toContain(apiKey);
  // Explicitly off: the key goes over plaintext (a local server behind an authenticating proxy).
  expect(
    config({ TEMPORAL_ADDRESS: 'localhost:7233', TEMPORAL_API_KEY: apiKey, TEMPORAL_TLS: 'false' })
      .temporalTls,
  ).toBeUndefined();
});
