import { type DefaultConnectionArguments, resolveCursorConnection } from '@pothos/plugin-relay';
import { type AnyColumn, and, asc, desc, getTableName, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { badInput } from './errors.ts';

/** Every list that can grow is a connection: 20 items unless `first`/`last` asks for up to 100. */
export const pageSize = { default: 20, max: 100 } as const;

/** What one page query gets: rows past `after` and before `before`, `limit` of them, in reverse if `inverted`. */
export type PageRequest = { after?: string; before?: string; limit: number; inverted: boolean };

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

type KeysetConnectionOptions<Row> = {
  args: DefaultConnectionArguments;
  /** Names the list in error messages, e.g. `Query.exports`. */
  list: string;
  cursorOf: (row: Row) => string;
  /** Whether a string can be a cursor of this list at all (checked before any query). */
  isCursor: (cursor: string) => boolean;
  /** Whether the row a well-formed cursor names exists (asked only when a page comes back empty). */
  cursorExists: (cursor: string) => Promise<boolean>;
  page: (page: PageRequest) => Promise<Row[]>;
  count: () => Promise<number>;
};

/** Refused rather than clamped: a client asking for 500 must not believe it got them all. */
function checkPageSize(args: DefaultConnectionArguments): void {
  for (const field of ['first', 'last'] as const) {
    const size = args[field];
    if (size != null && (size < 0 || size > pageSize.max)) {
      throw badInput(field, `${field} must be between 0 and ${pageSize.max}.`);
    }
  }
}

/**
 * A Relay connection over a keyset: `first`/`after` (and `last`/`before`), cursors naming rows, so
 * rows inserted meanwhile never shift a page; `totalCount` is counted only when asked for.
 */
export async function keysetConnection<Row>(options: KeysetConnectionOptions<Row>) {
  const { args, list } = options;
  checkPageSize(args);
  for (const field of ['after', 'before'] as const) {
    const cursor = args[field];
    if (cursor != null && !options.isCursor(cursor)) {
      throw badInput(field, `Not a cursor of ${list}: ${cursor.slice(0, 40)}`);
    }
  }
  const connection = await resolveCursorConnection(
    { args, toCursor: options.cursorOf, defaultSize: pageSize.default, maxSize: pageSize.max },
    (page: PageRequest) => options.page(page),
  );
  if (connection.edges.length === 0) {
    for (const field of ['after', 'before'] as const) {
      const cursor = args[field];
      if (cursor != null && !(await options.cursorExists(cursor))) {
        throw badInput(field, `Not a cursor of ${list}: ${cursor.slice(0, 40)}`);
      }
    }
  }
  let total: Promise<number> | undefined;
  return {
    ...connection,
    totalCount: () => {
      total ??= options.count();
      return total;
    },
  };
}
