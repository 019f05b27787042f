import { createHash } from 'node:crypto';

/** AES-256-GCM for API keys at rest (WebCrypto) and SHA-256 for tokens; Node and Deno share both. */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * A sealed value this OUTBOUND_SECRET_KEY cannot open: it was sealed under another key (a fresh `.data/`,
 * another checkout or a rotated key against the same database). No retry can fix it.
 */
export class UndecryptableSecretError extends Error {
  override name = 'UndecryptableSecretError';
  constructor() {
    super(
      'The connection’s API key cannot be decrypted with the current OUTBOUND_SECRET_KEY: it was saved under ' +
        'another key. Restore the OUTBOUND_SECRET_KEY it was saved with, or enter the connection’s API key ' +
        'again (updateConnection).',
    );
  }
}

export function isUndecryptableSecret(error: unknown): error is UndecryptableSecretError {
  return error instanceof UndecryptableSecretError;
}

export type SecretBox = { encrypt(plain: string): Promise<string>; decrypt(sealed: string): Promise<string> };

/** `secretKeyBase64` is OUTBOUND_SECRET_KEY: 32 bytes in base64. Sealed form: `v1.<iv>.<ciphertext+tag>`. */
export async function createSecretBox(secretKeyBase64: string): Promise<SecretBox> {
  const key = await crypto.subtle.importKey('raw', fromBase64(secretKeyBase64), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  return {
    async encrypt(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(plain));
      return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
    },
    async decrypt(sealed) {
      const [version, iv, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !data) throw new Error('Unrecognised ciphertext format.');
      // AES-GCM's tag check fails (OperationError) when the key is not the one that sealed it.
      const plain = await crypto.subtle
        .decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, key, fromBase64(data))
        .catch(() => {
          throw new UndecryptableSecretError();
        });
      return decoder.decode(plain);
    },
  };
}

/** Synchronous (node:crypto, also in Deno): it runs on every API request, where WebCrypto's async digest costs more than the query. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A bearer token: 32 random bytes, base64url, prefixed so it is recognisable in a leak scan. */
export function newToken(): string {
  return `obt_${toBase64(crypto.getRandomValues(new Uint8Array(32)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')}`;
}

export function maskSecret(secret: string): string {
  return `••••${secret.slice(-4)}`;
}

export function generateSecretKey(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(32)));
}
