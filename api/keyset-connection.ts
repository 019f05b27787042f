import { type DefaultConnectionArguments, resolveCursorConnection } from '@pothos/plugin-relay';
import type { KeysetSource, PageRequest } from '../core/paging/keyset.ts';
import { badInput, isUuid } from './errors.ts';

/** Every list that can grow is a connection: 20 items unless `first`/`last` asks for up to 100. */
export const pageSize = { default: 20, max: 100 } as const;

type KeysetConnectionOptions<Row> = KeysetSource<Row> & {
  args: DefaultConnectionArguments;
  /** Names the list in error messages, e.g. `Query.exports`. */
  list: string;
  cursorOf: (row: Row) => string;
  /** Whether a string can be a cursor of this list at all (checked before any query). */
  isCursor: (cursor: string) => boolean;
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

/** A connection over rows with uuid ids, the cursor being the row's id. */
export function uuidKeysetConnection<Row extends { id: string }>(
  args: DefaultConnectionArguments,
  list: string,
  source: KeysetSource<Row>,
) {
  return keysetConnection({ args, list, cursorOf: (row: Row) => row.id, isCursor: isUuid, ...source });
}
