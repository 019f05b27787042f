import type { Client } from '@temporalio/client';
import type { Connector } from '../core/activecampaign/connector.ts';
import type { SecretBox } from '../core/secrets.ts';
import type { Db, Sql } from '../db/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';

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

export type Context = ApiDeps & {
  viewer: Viewer | null;
  loaders: Loaders;
  /** Forgets a revoked token's cached holder in this process (the others hear of it through Postgres). */
  forgetToken(tokenHash: string): void;
  /** What is left of the request's reject rows (ExportRun.rejects): see maxRejectRowsPerRequest. */
  rejectRowsLeft: { value: number };
};

export function createContext(
  deps: ApiDeps,
  viewer: Viewer | null,
  forgetToken: (tokenHash: string) => void,
  maxRejectRows: number,
): Context {
  return {
    ...deps,
    viewer,
    loaders: createLoaders(deps.db),
    forgetToken,
    rejectRowsLeft: { value: maxRejectRows },
  };
}
