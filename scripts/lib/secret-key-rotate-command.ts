import { createInterface } from 'node:readline';
import { rotateSecretKey, SecretKeyRotationError } from '../../core/secrets-rotation.ts';
import type { Sql } from '../../db/client.ts';

/** The first line of standard input: the new key piped in (`< new-key`) or pasted on a terminal. */
async function readKeyFromStdin(): Promise<string> {
  if (process.stdin.isTTY) console.error('Paste the new key (32 bytes in base64) and press Enter:');
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lines.close();
    return line.trim();
  }
  return '';
}

/**
 * `cli secret-key:rotate [--new-key <base64>]`: re-encrypts every stored secret from OUTBOUND_SECRET_KEY
 * to the new key (read from standard input without --new-key). Resolves the exit code; prints no key.
 */
export async function runSecretKeyRotateCommand(sql: Sql, newKeyOption: string | undefined): Promise<number> {
  const currentKey = process.env.OUTBOUND_SECRET_KEY?.trim() ?? '';
  if (!currentKey) {
    console.error(
      'OUTBOUND_SECRET_KEY is not set: set it to the key the secrets are encrypted with now ' +
        '(for npm run dev, the content of .data/secret-key).',
    );
    return 2;
  }
  const newKey = (newKeyOption ?? (await readKeyFromStdin())).trim();
  try {
    const { reEncrypted, alreadyUnderNewKey } = await rotateSecretKey(sql, currentKey, newKey);
    console.log(
      `Re-encrypted ${reEncrypted} stored secret(s) under the new key` +
        (alreadyUnderNewKey ? ` (${alreadyUnderNewKey} already were).` : '.'),
    );
    console.log(
      'Now set OUTBOUND_SECRET_KEY to the new key for the API and every worker, and restart them: ' +
        'processes still holding the old key cannot read the secrets any more.',
    );
    return 0;
  } catch (error) {
    if (!(error instanceof SecretKeyRotationError)) throw error;
    console.error(`Nothing was changed: ${error.message}`);
    return error.reason === 'key' ? 2 : 1;
  }
}
