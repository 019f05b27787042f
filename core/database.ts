/** The database handles core's functions take, for the adapters that pass them on (api/ imports no db/). */
export type { Db, Sql } from '../db/client.ts';
