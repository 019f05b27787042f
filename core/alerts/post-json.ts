import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isListedHost, type OutboundHostPolicy, publicAddressLookup } from '../network/outbound-hosts.ts';
import { hostPort } from './channel-url.ts';

/**
 * POSTs a JSON body; resolves on 2xx, otherwise throws with the status (never the body or URL, which
 * may hold a secret). Unlisted hosts are connected to through publicAddressLookup.
 */
export function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  policy: OutboundHostPolicy,
  timeoutMs = 10_000,
): Promise<void> {
  const url = new URL(target);
  const listed = isListedHost(hostPort(url), policy);
  if (!listed && url.protocol !== 'https:')
    return Promise.reject(new Error('Plain http to an unlisted host.'));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        timeout: timeoutMs,
        ...(listed ? {} : { lookup: publicAddressLookup }),
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`The receiver answered HTTP ${status}.`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${timeoutMs / 1000} s.`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`The receiver could not be reached (${error.code ?? error.message}).`)),
    );
    req.end(body);
  });
}
