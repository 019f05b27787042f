import { lookup } from 'node:dns/promises';
import { connect, isIP, type Socket } from 'node:net';
import postgres from 'postgres';
import {
  checkPublicAddresses,
  isListedHost,
  isPrivateAddress,
  type OutboundHostPolicy,
  publicAddressLookup,
} from '../network/outbound-hosts.ts';
import { parsePostgresUrl } from '../network/postgres-url.ts';

/** A connection URL the policy refuses or cannot read; the message never repeats the URL. */
export class SourceUrlError extends Error {
  override name = 'SourceUrlError';
}

/** Where sources may connect, and how long their statements may run. */
export type SourcePolicy = OutboundHostPolicy & {
  /** DATABASE_URL: Outbound's own database is never a source. */
  ownDatabaseUrl?: string;
  /** OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS: a sync's statements; a preview's are capped at previewStatementTimeoutMs. */
  statementTimeoutMs?: number;
};

export const defaultSourceStatementTimeoutMs = 300_000;
export const previewStatementTimeoutMs = 30_000;
/** Seconds to open a connection (TCP, TLS, startup and authentication). */
const connectTimeoutSeconds = 10;
/**
 * Sockets one source connection may open: its own and cancel requests. postgres.js reconnects at once,
 * without end, when a server closes the connection during startup: the next socket is refused instead.
 */
const socketsPerConnection = 3;

/** The parts a source connection is built from; postgres.js never sees the URL itself. */
type SourceTarget = {
  hostname: string;
  port: number;
  user: string;
  password: string;
  database: string;
  sslmode: string | null;
};

/** Query parameters a source URL may carry; others (host, hostaddr, options, …) could redirect or reconfigure it. */
const acceptedParameters = new Set(['sslmode']);
const sslModes = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

function parseUrl(databaseUrl: string): URL {
  return parsePostgresUrl(
    databaseUrl,
    (reason) => new SourceUrlError(reason),
    'postgres://user:password@host:5432/db (one host)',
  );
}

function targetOf(databaseUrl: string): SourceTarget {
  if (databaseUrl.includes('#')) {
    throw new SourceUrlError('The database URL must not contain # (write it as %23 in a password).');
  }
  const url = parseUrl(databaseUrl);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (!hostname) throw new SourceUrlError('The database URL names no host.');
  if (/[,/]/.test(decodeURIComponent(hostname))) {
    throw new SourceUrlError('The database URL must name exactly one host and port.');
  }
  for (const name of new Set(url.searchParams.keys())) {
    if (!acceptedParameters.has(name)) {
      throw new SourceUrlError(
        `The database URL parameter ${JSON.stringify(name.slice(0, 40))} is not accepted: only sslmode is.`,
      );
    }
  }
  if (url.searchParams.getAll('sslmode').length > 1) {
    throw new SourceUrlError('The database URL gives sslmode more than once.');
  }
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !sslModes.has(sslmode)) {
    throw new SourceUrlError(`sslmode must be one of ${[...sslModes].join(', ')}.`);
  }
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new SourceUrlError('The database URL has a malformed %-escape.');
    }
  };
  const user = decode(url.username);
  const database = decode(url.pathname.replace(/^\//, ''));
  if (!user) throw new SourceUrlError('The database URL names no user: postgres://user:password@host/db.');
  if (!database) throw new SourceUrlError('The database URL names no database: postgres://…/db.');
  return {
    hostname,
    port: url.port ? Number(url.port) : 5432,
    user,
    password: decode(url.password),
    database,
    sslmode,
  };
}

/** The URL with its password hidden: what `databaseUrlMasked` shows. */
export function maskDatabaseUrl(databaseUrl: string): string {
  targetOf(databaseUrl);
  const url = parseUrl(databaseUrl);
  if (url.password) url.password = '****';
  return url.toString();
}

const sameAddress = (a: string, b: string) =>
  a === b || (isLoopback(a) && isLoopback(b)) || a.replace(/^::ffff:/, '') === b.replace(/^::ffff:/, '');
const isLoopback = (address: string) =>
  address === '::1' || /^(::ffff:)?127\./.test(address) || address === 'localhost';

async function addressesOf(hostname: string): Promise<string[]> {
  if (isIP(hostname)) return [hostname];
  try {
    return (await lookup(hostname, { all: true })).map((r) => r.address);
  } catch {
    return [hostname];
  }
}

/** Outbound's own database by host, port and name; its addresses resolved once. */
function ownDatabaseCheck(ownDatabaseUrl: string | undefined) {
  if (!ownDatabaseUrl) return async () => false;
  const own = (() => {
    try {
      const url = new URL(ownDatabaseUrl);
      return {
        hostname: url.hostname.replace(/^\[|\]$/g, '') || 'localhost',
        port: url.port ? Number(url.port) : 5432,
        database: decodeURIComponent(url.pathname.replace(/^\//, '')),
      };
    } catch {
      return null;
    }
  })();
  let ownAddresses: Promise<string[]> | undefined;
  return async (target: SourceTarget, remoteAddress: string) => {
    if (!own || target.port !== own.port || target.database !== own.database) return false;
    ownAddresses ??= addressesOf(own.hostname);
    return (
      target.hostname.toLowerCase() === own.hostname.toLowerCase() ||
      (await ownAddresses).some((a) => sameAddress(a, remoteAddress))
    );
  };
}

function connectSocket(target: SourceTarget, listed: boolean, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.hostname,
      port: target.port,
      // An unlisted name is resolved and its address checked on every connection (DNS rebinding).
      ...(listed ? {} : { lookup: publicAddressLookup }),
    });
    const fail = (error: unknown) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      socket.destroy();
      reject(error);
    };
    const aborted = () => fail(new SourceUrlError('The source connection was abandoned.'));
    const timer = setTimeout(
      () => fail(new SourceUrlError(`The database host did not answer within ${connectTimeoutSeconds} s.`)),
      connectTimeoutSeconds * 1000,
    );
    signal.addEventListener('abort', aborted, { once: true });
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}

export type SourceDatabase = {
  sql: postgres.Sql;
  /** Ends the connection; `now` drops it without waiting for queries (the caller left). */
  close(now?: boolean): Promise<void>;
};

/**
 * Opens the source database under the outbound-host policy, from the URL's parts: one host and port, a
 * listed host:port as it is; any other must resolve to public addresses only, checked again on each
 * connection, and is reached over TLS (`sslmode` may ask for stricter, never for less). Outbound's own
 * database is refused. No type lookups, no reconnects, a deadline on every connection.
 */
export async function openSourceDatabase(
  databaseUrl: string,
  policy: SourcePolicy,
  options: { max?: number } = {},
): Promise<SourceDatabase> {
  const target = targetOf(databaseUrl);
  const hostPort = `${target.hostname}:${target.port}`;
  const listed = isListedHost(hostPort, policy);
  if (!listed) {
    const check = await checkPublicAddresses(target.hostname);
    if (check !== 'public') {
      throw new SourceUrlError(
        check === 'private'
          ? `The database host ${hostPort} is a private address: list it in OUTBOUND_INSECURE_HOSTS to allow it.`
          : `The database host ${hostPort} does not resolve.`,
      );
    }
  }
  const isOwnDatabase = ownDatabaseCheck(policy.ownDatabaseUrl);
  if (await isOwnDatabase(target, target.hostname)) throw ownDatabaseRefused();
  const strict = ['verify-ca', 'verify-full'].includes(target.sslmode ?? '');
  const closed = new AbortController();
  let sockets = 0;
  const connectionOptions = {
    host: target.hostname,
    port: target.port,
    user: target.user,
    // A function, so an empty password never falls back to the process's PGPASSWORD.
    pass: () => target.password,
    database: target.database,
    max: options.max ?? 1,
    onnotice: () => {},
    connect_timeout: connectTimeoutSeconds,
    idle_timeout: 30,
    max_lifetime: null,
    backoff: () => 0,
    keep_alive: 60,
    prepare: false,
    fetch_types: false,
    debug: false,
    connection: { application_name: 'outbound-source', TimeZone: 'UTC' },
    ssl: listed ? listedSsl(target.sslmode) : strict ? 'verify-full' : 'require',
    socket: async () => {
      if (closed.signal.aborted || ++sockets > socketsPerConnection) {
        throw new SourceUrlError('The source database closed the connection while it was being opened.');
      }
      const socket = await connectSocket(target, listed, closed.signal);
      const remote = socket.remoteAddress ?? '';
      if (!listed && isPrivateAddress(remote)) {
        socket.destroy();
        throw new SourceUrlError(`The database host ${hostPort} resolves to a private address.`);
      }
      if (await isOwnDatabase(target, remote)) {
        socket.destroy();
        throw ownDatabaseRefused();
      }
      // postgres.js names the TLS server (SNI, verify-full) after the socket's host.
      return Object.assign(socket, { host: target.hostname });
    },
  };
  // `socket` (how each connection is opened) is not in postgres.js's types.
  const sql = postgres(connectionOptions as postgres.Options<Record<string, never>>);
  return {
    sql,
    async close(now = false) {
      closed.abort();
      await sql.end({ timeout: now ? 0 : 5 });
    },
  };
}

/** A listed host:port is reached as its URL's sslmode says (plain text without one). */
function listedSsl(sslmode: string | null): 'verify-full' | 'require' | 'prefer' | 'allow' | false {
  if (sslmode === 'verify-ca' || sslmode === 'verify-full') return 'verify-full';
  if (sslmode === 'require' || sslmode === 'prefer' || sslmode === 'allow') return sslmode;
  return false;
}

const ownDatabaseRefused = () =>
  new SourceUrlError('This is Outbound’s own database (DATABASE_URL): it cannot be a source.');
