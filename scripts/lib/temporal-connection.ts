import { Connection, type TLSConfig } from '@temporalio/client';
import { ConfigError } from '../config.ts';
import type { TemporalSettings, TemporalTls } from './temporal-settings.ts';
import { probeTemporalTls } from './temporal-tls-probe.ts';

/** Temporal cannot be reached with the configured settings: start-up stops with what to fix. */
export class TemporalConnectionError extends ConfigError {
  override name = 'TemporalConnectionError';
}

/** How long start-up waits for Temporal before it gives up (the client connection's connectTimeout). */
export const temporalConnectTimeoutMs = 10_000;

type Settings = Pick<
  TemporalSettings,
  'temporalAddress' | 'temporalNamespace' | 'temporalTls' | 'temporalApiKey' | 'temporalGrpcMeta'
>;

function sdkTls(settings: Settings): TLSConfig | undefined {
  const tls = settings.temporalTls;
  if (!tls) return undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.serverCaCert,
    clientCertPair: tls.clientCert && tls.clientKey ? { crt: tls.clientCert, key: tls.clientKey } : undefined,
  };
}

/** The options both the client's `Connection` and the worker's `NativeConnection` take. */
export function temporalConnectionOptions(settings: Settings) {
  return {
    address: settings.temporalAddress,
    tls: sdkTls(settings),
    apiKey: settings.temporalApiKey,
    metadata: settings.temporalGrpcMeta,
  };
}

/** "temporal.example.com:7233, namespace prod, mTLS": for start-up lines; no secret in it. */
export function describeTemporal(settings: Settings): string {
  const tls = settings.temporalTls;
  const security = !tls ? 'plaintext' : tls.clientCert ? 'mTLS' : 'TLS';
  const auth = settings.temporalApiKey ? ', API key' : '';
  return `${settings.temporalAddress}, namespace ${settings.temporalNamespace}, ${security}${auth}`;
}

function tlsProblem(settings: Settings, kind: string, detail: string): string | undefined {
  const at = `Temporal at ${settings.temporalAddress}`;
  const tls = settings.temporalTls as TemporalTls;
  switch (kind) {
    case 'untrusted':
      return tls.origin.serverCaCert
        ? `${at} presented a certificate the CA in ${tls.origin.serverCaCert} does not trust (${detail}): ` +
            'set TEMPORAL_TLS_SERVER_CA_CERT_PATH to the CA certificate that signed the server’s certificate'
        : `${at} presented a certificate the system’s trusted CAs do not trust (${detail}): ` +
            'set TEMPORAL_TLS_SERVER_CA_CERT_PATH to the CA certificate that signed it';
    case 'name':
      return (
        `${at}: the server’s certificate is not valid for the name Outbound checks (${detail}). ` +
        'Set TEMPORAL_TLS_SERVER_NAME to a name the certificate holds'
      );
    case 'expired':
      return `${at} presented an expired or not yet valid certificate (${detail})`;
    case 'client-refused':
      return tls.origin.clientCert
        ? `${at} refused the client certificate in ${tls.origin.clientCert} (${detail}): ` +
            'the server does not accept it (check the CA it was signed with, and its validity)'
        : `${at} requires a client certificate (mTLS, ${detail}): ` +
            'set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH';
    case 'not-tls':
      return (
        `${at} does not answer TLS (${detail}): it serves plaintext. Check TEMPORAL_ADDRESS, or turn TLS off ` +
        '(TEMPORAL_TLS=false and no TEMPORAL_TLS_* or TEMPORAL_API_KEY)'
      );
    default:
      return undefined;
  }
}

/**
 * Checks the TLS handshake first when TLS is on, so a certificate problem stops start-up at once with
 * its cause; anything else (unreachable, slow) is left to the SDK's connection attempt.
 */
export async function checkTemporalTls(settings: Settings): Promise<void> {
  if (!settings.temporalTls) return;
  const result = await probeTemporalTls(settings.temporalAddress, settings.temporalTls);
  if (result.ok) return;
  const problem = tlsProblem(settings, result.kind, result.detail);
  if (problem) throw new TemporalConnectionError(`Outbound cannot connect to Temporal:\n  - ${problem}`);
}

/** A failed SDK connection attempt, in start-up's terms (the cause's message, never the API key). */
export function temporalConnectError(settings: Settings, error: unknown): TemporalConnectionError {
  const cause = error instanceof Error ? error.message : String(error);
  const hint = settings.temporalTls
    ? 'check TEMPORAL_ADDRESS and that the server is up'
    : 'check TEMPORAL_ADDRESS; if the server expects TLS, set TEMPORAL_TLS=true or TEMPORAL_TLS_SERVER_CA_CERT_PATH';
  return new TemporalConnectionError(
    `Outbound cannot connect to Temporal:\n  - Temporal at ${settings.temporalAddress} ` +
      `(namespace ${settings.temporalNamespace}) did not answer: ${cause}. ${hint[0]?.toUpperCase()}${hint.slice(1)}`,
  );
}

/** The client's connection (API, worker's client, CLI), failing within `temporalConnectTimeoutMs`. */
export async function connectTemporalClient(settings: Settings): Promise<Connection> {
  await checkTemporalTls(settings);
  try {
    return await Connection.connect({
      ...temporalConnectionOptions(settings),
      connectTimeout: temporalConnectTimeoutMs,
    });
  } catch (error) {
    throw temporalConnectError(settings, error);
  }
}
