import postgres from 'postgres';
import { checkPublicAddresses, isListedHost, type OutboundHostPolicy } from '../network/outbound-hosts.ts';

/** A connection URL the policy refuses or cannot read; the message never repeats the URL. */
export class SourceUrlError extends Error {
  override name = 'SourceUrlError';
}

type ParsedUrl = { url: URL; hostPort: string };

function parse(databaseUrl: string): ParsedUrl {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new SourceUrlError(
      'The database URL is not a URL: expected postgres://user:password@host:5432/db.',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new SourceUrlError('The database URL must start with postgres:// or postgresql://.');
  }
  if (!url.hostname) throw new SourceUrlError('The database URL names no host.');
  return { url, hostPort: `${url.hostname.replace(/^\[|\]$/g, '')}:${url.port || '5432'}` };
}

/** The URL with its password hidden: what `databaseUrlMasked` shows. */
export function maskDatabaseUrl(databaseUrl: string): string {
  const { url } = parse(databaseUrl);
  if (url.password) url.password = '****';
  return url.toString();
}

/**
 * Opens the source database under the outbound-host policy: a listed host:port as it is; any other must
 * resolve to public addresses only (checked again at connect time) and is reached over TLS
 * (`sslmode` in the URL may ask for stricter, never for less).
 */
export async function openSourceDatabase(
  databaseUrl: string,
  policy: OutboundHostPolicy,
  options: { max?: number } = {},
): Promise<postgres.Sql> {
  const { url, hostPort } = parse(databaseUrl);
  const listed = isListedHost(hostPort, policy);
  if (!listed) {
    const check = await checkPublicAddresses(url.hostname.replace(/^\[|\]$/g, ''));
    if (check !== 'public') {
      throw new SourceUrlError(
        check === 'private'
          ? `The database host ${hostPort} is a private address: list it in OUTBOUND_INSECURE_HOSTS to allow it.`
          : `The database host ${hostPort} does not resolve.`,
      );
    }
  }
  const strict = ['verify-ca', 'verify-full'].includes(url.searchParams.get('sslmode') ?? '');
  url.searchParams.delete('sslmode');
  return postgres(url.toString(), {
    max: options.max ?? 1,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 30,
    prepare: false,
    connection: { application_name: 'outbound-source', TimeZone: 'UTC' },
    ...(listed ? {} : { ssl: strict ? 'verify-full' : 'require' }),
  });
}
