import type { Client } from '@temporalio/client';
import type { Connector } from '../activities/activecampaign/connector.ts';
import { type SecretBox, sha256Hex } from '../activities/crypto.ts';
import type { Db, Sql } from '../db/client.ts';

export type Role = 'ADMIN' | 'CONTRIBUTOR' | 'VIEWER';
export type Viewer = { id: string; email: string; role: Role };

/** What the API needs from the outside world; tests pass real ones pointed at their own resources. */
export type ApiDeps = {
  db: Db;
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  temporalUiUrl: string;
  temporalNamespace: string;
  secrets: SecretBox;
  connect: Connector;
  runTimeLimitMs: number;
  refreshScheduleId: string;
};

export type Context = ApiDeps & { viewer: Viewer | null };

async function viewerFromRequest(sql: Sql, request: Request): Promise<Viewer | null> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return null;
  const [user] = await sql<Viewer[]>`
    select u.id, u.email, u.role from api_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${await sha256Hex(match[1])}`;
  return user ?? null;
}

export async function createContext(deps: ApiDeps, request: Request): Promise<Context> {
  return { ...deps, viewer: await viewerFromRequest(deps.sql, request) };
}
