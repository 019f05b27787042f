import { type AnyColumn, and, asc, desc, getTableName, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/** What one page query gets: rows past `after` and before `before`, `limit` of them, in reverse if `inverted`. */
export type PageRequest = { after?: string; before?: string; limit: number; inverted: boolean };

/** The reads a paged list needs: one page, whether a cursor's row exists, and how many rows there are. */
export type KeysetSource<Row> = {
  page: (page: PageRequest) => Promise<Row[]>;
  /** Whether the row a well-formed cursor names exists (asked only when a page comes back empty). */
  cursorExists: (cursor: string) => Promise<boolean>;
  count: () => Promise<number>;
};

/**
 * A stable order: `columns` (the last one unique) in `direction`. `position` is the row value of those
 * columns for the row a cursor names — a subquery, so timestamps keep their microseconds.
 */
export type Keyset = {
  columns: (AnyColumn | SQL)[];
  direction: 'asc' | 'desc';
  position: (cursor: string) => SQL;
};

/** Newest first, on (created_at, id): the order of every list whose rows have a uuid `id`. */
export function newestFirst(table: PgTable & { createdAt: AnyColumn; id: AnyColumn }): Keyset {
  const name = sql.identifier(getTableName(table));
  return {
    columns: [table.createdAt, table.id],
    direction: 'desc',
    position: (cursor) => sql`(select t.created_at, t.id from ${name} t where t.id = ${cursor})`,
  };
}

/** The where clause and order of one page over a keyset. */
export function keysetPage(page: PageRequest, keyset: Keyset): { where: SQL | undefined; orderBy: SQL[] } {
  const key = sql`(${sql.join(keyset.columns, sql`, `)})`;
  const [past, short] = keyset.direction === 'desc' ? [sql`<`, sql`>`] : [sql`>`, sql`<`];
  const descending = (keyset.direction === 'desc') !== page.inverted;
  return {
    where: and(
      page.after === undefined ? undefined : sql`${key} ${past} ${keyset.position(page.after)}`,
      page.before === undefined ? undefined : sql`${key} ${short} ${keyset.position(page.before)}`,
    ),
    orderBy: keyset.columns.map((column) => (descending ? desc(column) : asc(column))),
  };
}

/** The order of a whole list read at once, newest first. */
export const newestFirstOrder = (table: PgTable & { createdAt: AnyColumn; id: AnyColumn }): SQL[] =>
  keysetPage({ limit: 0, inverted: false }, newestFirst(table)).orderBy;
