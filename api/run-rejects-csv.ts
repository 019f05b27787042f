import type { Db } from '../core/database.ts';
import { rejectsCsvStream } from '../core/runs/rejects-csv.ts';
import { findRun } from '../core/runs/run-store.ts';
import type { ClientInfo } from './authentication.ts';
import type { Viewer } from './context.ts';
import { isUuid } from './errors.ts';
import { baseSecurityHeaders, consoleCsp } from './http-policy.ts';
import { maySeePersonalData } from './personal-data.ts';

const path = /^\/runs\/([^/]+)\/rejects\.csv$/;

const headers = (contentType: string) => ({
  ...baseSecurityHeaders,
  'content-security-policy': consoleCsp,
  'cache-control': 'no-store',
  'content-type': contentType,
});

const plain = (status: number, text: string, extra: Record<string, string> = {}) =>
  new Response(`${text}\n`, { status, headers: { ...headers('text/plain; charset=utf-8'), ...extra } });

/**
 * `GET /runs/<id>/rejects.csv`: the run's rejected, failed and skipped contacts, authenticated like
 * /graphql (Authorization: Bearer). Every role that reads runs may download it; the email, the refused
 * value and ActiveCampaign's text are filled for the roles that may see personal data only. Undefined
 * for any other path.
 */
export function runRejectsCsv(options: {
  db: Db;
  authenticate(
    request: Request,
    client: ClientInfo,
  ): Promise<{ viewer: Viewer | null } | { refusal: Response }>;
}) {
  return async (request: Request, client: ClientInfo): Promise<Response | undefined> => {
    const match = path.exec(new URL(request.url).pathname);
    if (!match) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return plain(405, 'Use GET.', { allow: 'GET, HEAD' });
    const outcome = await options.authenticate(request, client);
    if ('refusal' in outcome) return outcome.refusal;
    const { viewer } = outcome;
    if (!viewer)
      return plain(401, 'Sign in: send Authorization: Bearer <token>.', { 'www-authenticate': 'Bearer' });
    const id = match[1] ?? '';
    const run = isUuid(id) ? await findRun(options.db, id) : undefined;
    if (!run) return plain(404, 'No export run with this id.');
    const body =
      request.method === 'HEAD'
        ? null
        : rejectsCsvStream(options.db, run.id, { personal: maySeePersonalData(viewer) });
    return new Response(body, {
      status: 200,
      headers: {
        ...headers('text/csv; charset=utf-8'),
        'content-disposition': `attachment; filename="run-${run.id}-rejects.csv"`,
      },
    });
  };
}
