import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  type ClientConfigProfile,
  type ConfigDataSource,
  loadClientConfigProfile,
} from '@temporalio/envconfig';

/**
 * How Outbound reaches Temporal, read the way every Temporal tool reads it (@temporalio/envconfig):
 * `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, `TEMPORAL_TLS*`, `TEMPORAL_GRPC_META_*`,
 * over a TOML profile (`TEMPORAL_CONFIG_FILE`, `TEMPORAL_PROFILE`). Certificates are read and checked
 * here, at start-up, so a wrong path or a mismatched key is named before anything connects.
 */
export type TemporalTls = {
  /** PEM; absent = the system's trusted CAs. */
  serverCaCert?: Buffer;
  /** mTLS: both or neither. */
  clientCert?: Buffer;
  clientKey?: Buffer;
  /** The name the server's certificate must hold, when it is not the address's host. */
  serverName?: string;
  /** Where the CA and the client certificate were set ("TEMPORAL_TLS_SERVER_CA_CERT_PATH=/etc/ca.pem"). */
  origin: { serverCaCert?: string; clientCert?: string };
};

export type TemporalSettings = {
  temporalAddress: string;
  temporalNamespace: string;
  /** Absent: plaintext (the dev server). */
  temporalTls?: TemporalTls;
  temporalApiKey?: string;
  temporalGrpcMeta?: Record<string, string>;
};

type Env = Record<string, string | undefined>;

const defaultAddress = 'localhost:7233';

/** `host:port`, `[ipv6]:port`: no scheme, no path. */
const addressPattern = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/;

/** The environment with blank TEMPORAL_* values dropped (blank means unset) and the rest trimmed. */
function temporalEnv(env: Env): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (!name.startsWith('TEMPORAL_') || name.startsWith('TEMPORAL_GRPC_META_')) clean[name] = value;
    else if (value.trim()) clean[name] = value.trim();
  }
  return clean;
}

/**
 * Reads the Temporal connection settings; each problem found is pushed onto `problems` naming the
 * variable (or the profile's key) to fix. API keys and certificate contents never appear in a message.
 */
export function loadTemporalSettings(rawEnv: Env, problems: string[]): TemporalSettings {
  const env = temporalEnv(rawEnv);
  const fallback: TemporalSettings = { temporalAddress: defaultAddress, temporalNamespace: 'default' };
  const before = problems.length;
  for (const name of ['TEMPORAL_TLS', 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION']) {
    const value = env[name];
    if (value !== undefined && !['true', 'false', '1', '0'].includes(value))
      problems.push(`${name}=${value} is not valid: true or false`);
  }
  if (
    env.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION === 'true' ||
    env.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION === '1'
  )
    problems.push(
      'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION is not supported by Temporal’s TypeScript SDK: set ' +
        'TEMPORAL_TLS_SERVER_NAME to a name the server’s certificate holds instead',
    );
  const file = env.TEMPORAL_CONFIG_FILE;
  if (file !== undefined && !existsSync(file))
    problems.push(`TEMPORAL_CONFIG_FILE=${file}: there is no such file`);
  if (problems.length > before) return fallback;

  const profileName = env.TEMPORAL_PROFILE ?? 'default';
  const fileLabel = file
    ? `TEMPORAL_CONFIG_FILE=${file}`
    : 'the Temporal config file (temporalio/temporal.toml)';
  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: env });
  } catch (error) {
    // The first line only: a TOML parser's message goes on to quote the file, which may hold an API key.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    problems.push(
      /not found in config data/.test(message)
        ? `TEMPORAL_PROFILE=${profileName}: ${fileLabel} has no [profile.${profileName}]`
        : `${fileLabel} (profile ${profileName}) cannot be read: ${message}`,
    );
    return fallback;
  }
  /** Where a setting came from: its variable when set, else the profile's key. */
  const origin = (variable: string, tomlKey: string) =>
    env[variable] !== undefined ? variable : `${tomlKey} of [profile.${profileName}] in ${fileLabel}`;

  const temporalAddress = profile.address?.trim() || defaultAddress;
  const port = Number(addressPattern.exec(temporalAddress)?.[2] ?? 0);
  if (port < 1 || port > 65535)
    problems.push(
      `${origin('TEMPORAL_ADDRESS', 'address')}=${temporalAddress} is not valid: host:port, without a scheme ` +
        '(e.g. temporal.example.com:7233 or <namespace>.<account>.tmprl.cloud:7233)',
    );
  const apiKey = profile.apiKey?.trim() || undefined;
  const grpcMeta = profile.grpcMeta && Object.keys(profile.grpcMeta).length ? profile.grpcMeta : undefined;
  if (apiKey && grpcMeta?.authorization !== undefined)
    problems.push(
      'TEMPORAL_API_KEY and an authorization gRPC header (TEMPORAL_GRPC_META_AUTHORIZATION) are both set',
    );

  const settings: TemporalSettings = {
    temporalAddress,
    temporalNamespace: profile.namespace?.trim() || 'default',
    temporalApiKey: apiKey,
    temporalGrpcMeta: grpcMeta,
  };
  // As the SDK decides: TLS when it is configured and not disabled, or when an API key is given.
  const tls = profile.tls;
  if (tls?.disabled || (!tls && !apiKey)) return settings;
  const material = (source: ConfigDataSource | undefined, name: string, tomlKey: string) => {
    if (!source) return undefined;
    if (!('path' in source)) {
      const where = origin(`${name}_DATA`, `${tomlKey}_data`);
      return { where, bytes: Buffer.from(source.data) };
    }
    const where = `${origin(`${name}_PATH`, `${tomlKey}_path`)}=${source.path}`;
    try {
      return { where, bytes: readFileSync(source.path) };
    } catch (error) {
      problems.push(`${where} cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
      return undefined;
    }
  };
  const ca = material(tls?.serverCACert, 'TEMPORAL_TLS_SERVER_CA_CERT', 'tls.server_ca_cert');
  const crt = material(tls?.clientCert, 'TEMPORAL_TLS_CLIENT_CERT', 'tls.client_cert');
  const key = material(tls?.clientKey, 'TEMPORAL_TLS_CLIENT_KEY', 'tls.client_key');
  const caCert = ca && certificate(ca.bytes, ca.where, problems);
  const clientCert = crt && certificate(crt.bytes, crt.where, problems);
  const clientKey = key && privateKey(key.bytes, key.where, problems);
  if (tls?.clientCert && !tls.clientKey)
    problems.push(
      `${crt?.where ?? 'the client certificate'} is set without a key: set TEMPORAL_TLS_CLIENT_KEY_PATH too (mTLS needs both)`,
    );
  if (tls?.clientKey && !tls.clientCert)
    problems.push(
      `${key?.where ?? 'the client key'} is set without a certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH too (mTLS needs both)`,
    );
  if (clientCert && clientKey && !clientCert.checkPrivateKey(clientKey))
    problems.push(`${key?.where} is not the private key of the certificate in ${crt?.where}`);
  if (caCert && !caCert.ca)
    problems.push(
      `${ca?.where} is not a CA certificate: point it at the CA that signed the server's certificate`,
    );
  settings.temporalTls = {
    serverCaCert: ca?.bytes,
    clientCert: crt?.bytes,
    clientKey: key?.bytes,
    serverName: tls?.serverName?.trim() || undefined,
    origin: { serverCaCert: ca?.where, clientCert: crt?.where },
  };
  return settings;
}

function certificate(bytes: Buffer, where: string, problems: string[]): X509Certificate | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(bytes);
  } catch {
    problems.push(`${where} does not hold a PEM certificate`);
    return undefined;
  }
  const now = Date.now();
  if (Date.parse(cert.validTo) < now) problems.push(`${where}: the certificate expired on ${cert.validTo}`);
  else if (Date.parse(cert.validFrom) > now)
    problems.push(`${where}: the certificate is not valid before ${cert.validFrom}`);
  return cert;
}

function privateKey(bytes: Buffer, where: string, problems: string[]): KeyObject | undefined {
  try {
    return createPrivateKey(bytes);
  } catch {
    problems.push(`${where} does not hold an unencrypted PEM private key`);
    return undefined;
  }
}
