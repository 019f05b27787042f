import postgres from 'postgres';
import { checkPublicAddresses, isListedHost, type OutboundHostPolicy } from '../network/outbound-hosts.ts';
import { parsePostgresUrl } from '../network/postgres-url.ts';

/** A results target's URL or connection the policy refuses, or the database rejected; never repeats the URL. */
export class ResultsTargetError extends Error {
  override name = 'ResultsTargetError';
}

/** A schema name Outbound creates and writes: a plain lowercase identifier, so it is never quoted wrong. */
export const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

function parse(databaseUrl: string): { url: URL; host: string; hostPort: string } {
  const url = parsePostgresUrl(
    databaseUrl,
    (reason) => new ResultsTargetError(reason),
    'postgres://user:password@host:5432/db',
  );
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new ResultsTargetError('The database URL names no host.');
  if (host.includes(',')) throw new ResultsTargetError('The database URL must name a single host.');
  return { url, host, hostPort: `${host}:${url.port || '5432'}` };
}

/** The URL with its password hidden: what `databaseUrlMasked` shows. */
export function maskTargetUrl(databaseUrl: string): string {
  const { url } = parse(databaseUrl);
  if (url.password) url.password = '****';
  return url.toString();
}

/**
 * Opens a results target under the outbound-host policy, from the URL's parts (no query options are
 * passed through): a listed host:port as it is; any other must resolve to public addresses only and is
 * reached over TLS. No type lookups, bounded connect and statement time, one connection.
 */
export async function openTargetDatabase(
  databaseUrl: string,
  policy: OutboundHostPolicy,
): Promise<postgres.Sql> {
  const { url, host, hostPort } = parse(databaseUrl);
  const listed = isListedHost(hostPort, policy);
  if (!listed) {
    const check = await checkPublicAddresses(host);
    if (check !== 'public') {
      throw new ResultsTargetError(
        check === 'private'
          ? `The database host ${hostPort} is a private address: list it in OUTBOUND_INSECURE_HOSTS to allow it.`
          : `The database host ${hostPort} does not resolve.`,
      );
    }
  }
  const strict = ['verify-ca', 'verify-full'].includes(url.searchParams.get('sslmode') ?? '');
  return postgres({
    host,
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.slice(1)) || undefined,
    username: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    max: 1,
    fetch_types: false,
    prepare: false,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 30,
    connection: { application_name: 'outbound-results', statement_timeout: 60_000, TimeZone: 'UTC' },
    ...(listed ? {} : { ssl: strict ? 'verify-full' : 'require' }),
  });
}

/** Postgres error classes a retry may fix: connection, resources, operator intervention, serialization. */
const transientClasses = ['08', '53', '57', '40', '58'];

/** Whether a failed write may succeed when retried; a refusal (privileges, bad schema) will not. */
export function isTransientTargetError(error: unknown): boolean {
  if (error instanceof ResultsTargetError) return false;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
    return transientClasses.includes(code.slice(0, 2));
  return true;
}

/** What is said of a failed write: the SQLSTATE or network code, never a value or the URL. */
export function targetErrorMessage(error: unknown): string {
  if (error instanceof ResultsTargetError) return error.message;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return `The results database refused the write (SQLSTATE ${code}).`;
  }
  if (typeof code === 'string') return `The results database could not be reached (${code}).`;
  return 'The results database could not be reached.';
}

/** Connects once and runs `select 1`: the URL, the policy and the login hold. Throws what went wrong. */
export async function checkTargetConnection(databaseUrl: string, policy: OutboundHostPolicy): Promise<void> {
  const target = await openTargetDatabase(databaseUrl, policy);
  try {
    await target`select 1`;
  } finally {
    await target.end({ timeout: 5 });
  }
}
