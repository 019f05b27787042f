import type { Sql } from '../../db/client.ts';
import { insertAuditEvent } from '../audit.ts';

/** A results target as the API shows it: never the URL's ciphertext. */
export type ResultsTarget = {
  id: string;
  name: string;
  schema: string;
  databaseUrlMasked: string;
  lastWrittenAt: Date | null;
  createdAt: Date;
};

const columns = (sql: Sql) => sql`id, name, schema, database_url_masked as "databaseUrlMasked",
  last_written_at as "lastWrittenAt", created_at as "createdAt"`;

export type TargetPage = { after?: string; before?: string; limit: number; inverted: boolean };

/** Newest first on (created_at, id), one page of a keyset connection. */
export async function listResultsTargets(sql: Sql, page: TargetPage): Promise<ResultsTarget[]> {
  const key = sql`(created_at, id)`;
  const position = (cursor: string) =>
    sql`(select t.created_at, t.id from results_targets t where t.id = ${cursor})`;
  const descending = !page.inverted;
  return sql<ResultsTarget[]>`
    select ${columns(sql)} from results_targets
    where true
      ${page.after === undefined ? sql`` : sql`and ${key} < ${position(page.after)}`}
      ${page.before === undefined ? sql`` : sql`and ${key} > ${position(page.before)}`}
    order by ${descending ? sql`created_at desc, id desc` : sql`created_at asc, id asc`}
    limit ${page.limit}`;
}

export async function countResultsTargets(sql: Sql): Promise<number> {
  const [row] = await sql<[{ count: number }]>`select count(*)::int as count from results_targets`;
  return row?.count ?? 0;
}

export async function findResultsTarget(sql: Sql, id: string): Promise<ResultsTarget | undefined> {
  const [row] = await sql<[ResultsTarget?]>`select ${columns(sql)} from results_targets where id = ${id}`;
  return row;
}

export async function sealedTargetUrl(sql: Sql, id: string): Promise<string | undefined> {
  const [row] = await sql<[{ sealed: string }?]>`
    select database_url_ciphertext as sealed from results_targets where id = ${id}`;
  return row?.sealed;
}

type TargetWrite = {
  name?: string;
  schema?: string;
  databaseUrlCiphertext?: string;
  databaseUrlMasked?: string;
};
type Actor = { id: string } | null;

export async function insertResultsTarget(
  sql: Sql,
  actor: Actor,
  target: Required<TargetWrite>,
): Promise<ResultsTarget> {
  return sql.begin(async (tx) => {
    const [created] = await tx<[ResultsTarget]>`
      insert into results_targets (name, schema, database_url_ciphertext, database_url_masked, created_by)
      values (${target.name}, ${target.schema}, ${target.databaseUrlCiphertext}, ${target.databaseUrlMasked},
        ${actor?.id ?? null})
      returning ${columns(tx as unknown as Sql)}`;
    await insertAuditEvent(tx, actor?.id ?? null, 'results_target.created', 'ResultsTarget', created.id, {
      databaseUrl: target.databaseUrlMasked,
      schema: target.schema,
    });
    return created;
  }) as Promise<ResultsTarget>;
}

export async function updateResultsTargetRow(
  sql: Sql,
  actor: Actor,
  id: string,
  changes: TargetWrite,
): Promise<ResultsTarget | undefined> {
  return sql.begin(async (tx) => {
    const [updated] = await tx<[ResultsTarget?]>`
      update results_targets set
        name = coalesce(${changes.name ?? null}, name),
        schema = coalesce(${changes.schema ?? null}, schema),
        database_url_ciphertext = coalesce(${changes.databaseUrlCiphertext ?? null}, database_url_ciphertext),
        database_url_masked = coalesce(${changes.databaseUrlMasked ?? null}, database_url_masked),
        updated_at = now()
      where id = ${id} returning ${columns(tx as unknown as Sql)}`;
    if (updated) {
      await insertAuditEvent(tx, actor?.id ?? null, 'results_target.updated', 'ResultsTarget', id, {
        fields: Object.keys(changes).filter((k) => k !== 'databaseUrlCiphertext'),
      });
    }
    return updated;
  }) as Promise<ResultsTarget | undefined>;
}

/** Deletes the target; exports naming it stop writing results (their resultsTargetId becomes null). */
export async function deleteResultsTargetRow(sql: Sql, actor: Actor, id: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const deleted = await tx`delete from results_targets where id = ${id} returning id`;
    if (deleted.length) {
      await insertAuditEvent(tx, actor?.id ?? null, 'results_target.deleted', 'ResultsTarget', id);
    }
    return deleted.length > 0;
  }) as Promise<boolean>;
}
