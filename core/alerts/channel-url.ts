import { checkPublicAddresses, isListedHost, type OutboundHostPolicy } from '../network/outbound-hosts.ts';

/** Why a channel URL is refused, or null: https to a public address unless its host:port is listed. */
export async function channelUrlProblem(text: string, policy: OutboundHostPolicy): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Not a URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Only http(s) URLs can receive alerts.';
  if (url.username || url.password) return 'Credentials in the URL are not allowed.';
  if (isListedHost(hostPort(url), policy)) return null;
  if (url.protocol !== 'https:') return `Use https, or list ${hostPort(url)} in OUTBOUND_INSECURE_HOSTS.`;
  const check = await checkPublicAddresses(url.hostname.replace(/^\[|\]$/g, ''));
  if (check === 'unresolvable') return `${url.hostname} cannot be resolved.`;
  if (check === 'private') {
    return `${url.hostname} resolves to a private address; list ${hostPort(url)} in OUTBOUND_INSECURE_HOSTS to allow it.`;
  }
  return null;
}

export function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/** What is shown of a URL: its origin and last four characters (a Slack URL's path is its secret). */
export function maskUrl(text: string): string {
  return `${new URL(text).origin}/••••${text.slice(-4)}`;
}
