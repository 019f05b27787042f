import type { Sql } from '../db/client.ts';
import { createSecretBox, isUndecryptableSecret, type SecretBox } from './secrets.ts';

/**
 * Rotating OUTBOUND_SECRET_KEY: every value sealed under it is re-encrypted under a new key in one
 * transaction, or nothing changes. The sealed columns: the connections' API keys, the sources' database URLs, the
 * notification channels' URLs and webhook signing secrets.
 */
const sealedColumns = [
  { table: 'connections', id: 'id', column: 'api_key_ciphertext', what: 'connection' },
  { table: 'sources', id: 'id', column: 'database_url_ciphertext', what: 'source' },
  { table: 'notification_channels', id: 'id', column: 'url_ciphertext', what: 'notification channel URL' },
  {
    table: 'notification_channels',
    id: 'id',
    column: 'signing_secret_ciphertext',
    what: 'notification channel signing secret',
  },
];

/** The rotation was refused before anything changed; the message says why, never a key. */
export class SecretKeyRotationError extends Error {
  override name = 'SecretKeyRotationError';
  constructor(
    /** `key`: a key given is not usable; `secrets`: a stored secret cannot be re-encrypted. */
    readonly reason: 'key' | 'secrets',
    message: string,
  ) {
    super(message);
  }
}

/** `openssl rand -base64 32`: 44 characters of standard base64 for 32 bytes. */
const keyPattern = /^[A-Za-z0-9+/]{43}=$/;

export function secretKeyProblem(key: string): string | undefined {
  if (!keyPattern.test(key)) return 'is not 32 bytes in base64 (make one with: openssl rand -base64 32)';
  return undefined;
}

function decodedLength(base64: string): number {
  try {
    return atob(base64).length;
  } catch {
    return -1;
  }
}

export type RotationResult = {
  /** Re-encrypted from the current key to the new one. */
  reEncrypted: number;
  /** Already under the new key (a rotation run again, or values saved by a process with the new key). */
  alreadyUnderNewKey: number;
};

export async function rotateSecretKey(sql: Sql, currentKey: string, newKey: string): Promise<RotationResult> {
  // The current key as start-up accepts it (forgiving base64); the new one as `openssl rand -base64 32` prints it.
  if (decodedLength(currentKey) !== 32)
    throw new SecretKeyRotationError('key', 'OUTBOUND_SECRET_KEY is not 32 bytes in base64.');
  const newProblem = secretKeyProblem(newKey);
  if (newProblem) throw new SecretKeyRotationError('key', `The new key ${newProblem}.`);
  if (atob(newKey) === atob(currentKey))
    throw new SecretKeyRotationError(
      'key',
      'The new key is the current OUTBOUND_SECRET_KEY: nothing to rotate.',
    );
  const current = await createSecretBox(currentKey);
  const next = await createSecretBox(newKey);
  const result: RotationResult = { reEncrypted: 0, alreadyUnderNewKey: 0 };
  await sql.begin(async (tx) => {
    for (const { table, id, column, what } of sealedColumns) {
      // Writers (createConnection, updateConnection) wait until the rotation commits; readers do not.
      await tx.unsafe(`lock table ${table} in share row exclusive mode`);
      const rows = await tx.unsafe<{ id: string; sealed: string }[]>(
        `select ${id} as id, ${column} as sealed from ${table} where ${column} is not null order by ${id}`,
      );
      const unreadable: string[] = [];
      for (const row of rows) {
        const plain = await openWithEither(row.sealed, current, next);
        if (plain === undefined) unreadable.push(row.id);
        else if (plain.underNewKey) result.alreadyUnderNewKey++;
        else {
          const resealed = await next.encrypt(plain.text);
          if ((await next.decrypt(resealed)) !== plain.text)
            throw new SecretKeyRotationError(
              'secrets',
              `Re-encrypting ${what} ${row.id} did not round-trip.`,
            );
          await tx.unsafe(`update ${table} set ${column} = $1 where ${id} = $2`, [resealed, row.id]);
          result.reEncrypted++;
        }
      }
      if (unreadable.length)
        throw new SecretKeyRotationError(
          'secrets',
          `${unreadable.length} ${what}(s) can be decrypted neither with OUTBOUND_SECRET_KEY nor with the new key: ` +
            `${unreadable.join(', ')}. Nothing was changed. Run with the OUTBOUND_SECRET_KEY they were saved ` +
            'under, or enter their API keys again (updateConnection) or delete them, then rotate.',
        );
    }
  });
  return result;
}

async function openWithEither(
  sealed: string,
  current: SecretBox,
  next: SecretBox,
): Promise<{ text: string; underNewKey: boolean } | undefined> {
  for (const [box, underNewKey] of [
    [current, false],
    [next, true],
  ] as const) {
    try {
      return { text: await box.decrypt(sealed), underNewKey };
    } catch (error) {
      if (!isUndecryptableSecret(error)) throw error;
    }
  }
  return undefined;
}
