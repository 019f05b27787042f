import { isUuid, notFound } from './errors.ts';

/** The row an id argument names; NOT_FOUND (`No <what> with id <id>.`) when it is no uuid or names nothing. */
export async function loadById<Row>(
  what: string,
  id: string,
  find: (id: string) => Promise<Row | undefined>,
): Promise<Row> {
  const row = isUuid(id) ? await find(id) : undefined;
  if (!row) throw notFound(what, id);
  return row;
}
