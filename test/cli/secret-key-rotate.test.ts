import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { createSecretBox, generateSecretKey, UndecryptableSecretError } from '../../core/secrets.ts';
import { createUserWithToken } from '../../core/users.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let adminId: string;

const apiKeys = ['rotate-key-one-1a2b3c', 'rotate-key-two-4d5e6f', 'rotate-key-three-7a8b9c'];

beforeAll(async () => {
  database = await createTestDatabase();
  adminId = (await createUserWithToken(database.sql, 'rotate@outbound.test', 'ADMIN')).user.id;
});
afterAll(async () => {
  await database?.drop();
});
beforeEach(async () => {
  await database.sql`truncate connections, sources, notification_channels cascade`;
});

/** Connections whose API keys are sealed under `key`, plus a deleted one (no key left). */
async function seedConnections(key: string, keys = apiKeys): Promise<string[]> {
  const box = await createSecretBox(key);
  const ids: string[] = [];
  for (const apiKey of keys) {
    const [row] = await database.sql<{ id: string }[]>`
      insert into connections (display_name, api_host, api_key_ciphertext, api_key_tail, privacy_accepted_by,
        privacy_accepted_at, export_user_id)
      values ('Rotation', 'rotate.api-us1.com', ${await box.encrypt(apiKey)}, ${apiKey.slice(-4)}, ${adminId},
        now(), ${adminId})
      returning id`;
    ids.push(row?.id as string);
  }
  await database.sql`
    insert into connections (display_name, api_host, api_key_ciphertext, api_key_tail, privacy_accepted_by,
      privacy_accepted_at, export_user_id, deleted_at)
    values ('Deleted', 'rotate.api-us1.com', null, 'gone', ${adminId}, now(), ${adminId}, now())`;
  return ids;
}

async function sealedKeys(): Promise<Record<string, string>> {
  const rows = await database.sql<{ id: string; sealed: string }[]>`
    select id, api_key_ciphertext as sealed from connections where api_key_ciphertext is not null`;
  return Object.fromEntries(rows.map((r) => [r.id, r.sealed]));
}

/** The API keys as `key` decrypts them, in the order of `ids`. */
async function openedWith(key: string, ids: string[]): Promise<string[]> {
  const box = await createSecretBox(key);
  const sealed = await sealedKeys();
  return Promise.all(ids.map((id) => box.decrypt(sealed[id] as string)));
}

/** `npm run cli -- secret-key:rotate …`, the real command, with `stdin` piped in when given. */
const rotate = (currentKey: string | undefined, args: string[], stdin?: string) =>
  runCli(
    ['secret-key:rotate', ...args],
    { DATABASE_URL: database.url, OUTBOUND_SECRET_KEY: currentKey },
    stdin ?? '',
  );

function expectNoSecrets(output: string, keys: string[]) {
  for (const secret of [...keys, ...apiKeys]) expect(output).not.toContain(secret);
}

test('every API key is re-encrypted under the new key: it decrypts them, the old key no longer does', async () => {
  const oldKey = generateSecretKey();
  const newKey = generateSecretKey();
  const ids = await seedConnections(oldKey);
  const before = await sealedKeys();

  const result = await rotate(oldKey, ['--new-key', newKey]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Re-encrypted 3 stored secret(s) under the new key.');
  expectNoSecrets(result.stdout, [oldKey, newKey]);

  const after = await sealedKeys();
  for (const id of ids) expect(after[id]).not.toBe(before[id]);
  expect(await openedWith(newKey, ids)).toEqual(apiKeys);
  await expect(openedWith(oldKey, ids)).rejects.toBeInstanceOf(UndecryptableSecretError);
  // The deleted connection has no key to re-encrypt.
  expect((await database.sql`select 1 from connections where api_key_ciphertext is null`).length).toBe(1);

  // Run again with the same keys (a retried deployment step): nothing left to do, nothing broken.
  const again = await rotate(oldKey, ['--new-key', newKey]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('Re-encrypted 0 stored secret(s) under the new key (3 already were).');
  expect(await sealedKeys()).toEqual(after);
});

test('the new key can come from standard input', async () => {
  const oldKey = generateSecretKey();
  const newKey = generateSecretKey();
  const ids = await seedConnections(oldKey);
  const result = await rotate(oldKey, [], `${newKey}\n`);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(await openedWith(newKey, ids)).toEqual(apiKeys);
});

test('a malformed, reused or missing key is refused before anything changes', async () => {
  const oldKey = generateSecretKey();
  await seedConnections(oldKey);
  const before = await sealedKeys();
  const short = Buffer.alloc(16, 7).toString('base64');
  for (const [args, stdin, message] of [
    [['--new-key', 'not-a-key'], undefined, 'The new key is not 32 bytes in base64'],
    [['--new-key', short], undefined, 'The new key is not 32 bytes in base64'],
    [['--new-key', `${oldKey.slice(0, -2)}==`], undefined, 'The new key is not 32 bytes in base64'],
    [['--new-key', oldKey], undefined, 'The new key is the current OUTBOUND_SECRET_KEY'],
    [[], '', 'The new key is not 32 bytes in base64'],
  ] as const) {
    const result = await rotate(oldKey, [...args], stdin);
    expect(result.code, message).toBe(2);
    expect(result.stderr).toContain(`Nothing was changed: ${message}`);
    expectNoSecrets(result.stderr + result.stdout, [oldKey]);
  }
  const noCurrent = await rotate(undefined, ['--new-key', generateSecretKey()]);
  expect(noCurrent.code).toBe(2);
  expect(noCurrent.stderr).toContain('OUTBOUND_SECRET_KEY is not set');
  expect(await sealedKeys()).toEqual(before);
});

test('a secret neither key opens stops the rotation with its connection named, and nothing changes', async () => {
  const oldKey = generateSecretKey();
  const strangerKey = generateSecretKey();
  const ids = await seedConnections(oldKey);
  const [strangerId] = await seedConnections(strangerKey, ['rotate-key-stranger-000']);
  const before = await sealedKeys();

  const result = await rotate(oldKey, ['--new-key', generateSecretKey()]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    `Nothing was changed: 1 connection(s) can be decrypted neither with OUTBOUND_SECRET_KEY nor with the new key: ${strangerId}.`,
  );
  expect(await sealedKeys()).toEqual(before);
  expect(await openedWith(oldKey, ids)).toEqual(apiKeys);
});

test('the sources’ database URLs and the channels’ URLs and signing secrets are re-encrypted too', async () => {
  const oldKey = generateSecretKey();
  const newKey = generateSecretKey();
  await database.sql`truncate sources, notification_channels cascade`;
  const box = await createSecretBox(oldKey);
  const secrets = {
    databaseUrl: 'postgres://reader:source-password-1x2y@db.example.com:5432/crm',
    hookUrl: 'https://hooks.example.com/outbound/secret-path-3z4w',
    signingSecret: 'whsec_rotation-signing-secret-5v6u',
  };
  await database.sql`
    insert into sources (name, database_url_ciphertext, database_url_masked, table_name, columns)
    values ('CRM', ${await box.encrypt(secrets.databaseUrl)}, 'postgres://reader:****@db.example.com:5432/crm',
      'customers', '[]'::jsonb)`;
  await database.sql`
    insert into notification_channels (name, kind, url_ciphertext, url_masked, signing_secret_ciphertext)
    values ('Ops hook', 'WEBHOOK', ${await box.encrypt(secrets.hookUrl)}, 'https://hooks.example.com…3z4w',
      ${await box.encrypt(secrets.signingSecret)})`;

  const result = await rotate(oldKey, ['--new-key', newKey]);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Re-encrypted 3 stored secret(s) under the new key.');
  expectNoSecrets(result.stdout + result.stderr, [oldKey, newKey, ...Object.values(secrets)]);

  const [source] = await database.sql<
    { sealed: string }[]
  >`select database_url_ciphertext as sealed from sources`;
  const [channel] = await database.sql<{ url: string; secret: string }[]>`
    select url_ciphertext as url, signing_secret_ciphertext as secret from notification_channels`;
  const next = await createSecretBox(newKey);
  expect(await next.decrypt(source?.sealed as string)).toBe(secrets.databaseUrl);
  expect(await next.decrypt(channel?.url as string)).toBe(secrets.hookUrl);
  expect(await next.decrypt(channel?.secret as string)).toBe(secrets.signingSecret);
  await expect(box.decrypt(channel?.secret as string)).rejects.toBeInstanceOf(UndecryptableSecretError);
});
