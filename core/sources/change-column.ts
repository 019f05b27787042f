import type { SourceColumn } from '../../db/schema.ts';

/** How a change column's values are ordered: whole numbers, or points in time. */
export type ChangeKind = 'integer' | 'timestamp';

const orderableTypes = new Map<string, ChangeKind>([
  ['smallint', 'integer'],
  ['integer', 'integer'],
  ['bigint', 'integer'],
  ['timestamp without time zone', 'timestamp'],
  ['timestamp with time zone', 'timestamp'],
]);

export const defaultChangeOverlap = 300;
export const maxChangeOverlap = 7 * 86_400;

/** What an incremental read needs: the column, its type, the watermark to read from (null: every row). */
export type ChangeFilter = {
  column: string;
  postgresType: string;
  kind: ChangeKind;
  since: string | null;
  overlap: number;
};

/** Why `name` cannot be the change column of a source with these columns; null when it can. */
export function changeColumnProblem(columns: SourceColumn[], name: string): string | null {
  const column = columns.find((c) => c.name === name);
  if (!column) {
    const names = columns.map((c) => c.name).join(', ');
    return `The source returns no column ${JSON.stringify(name.slice(0, 63))} (it returns ${names.slice(0, 500)}).`;
  }
  if (!orderableTypes.has(column.postgresType)) {
    return `The change column must be a smallint, integer, bigint, timestamp or timestamptz column; ${column.name} is ${column.postgresType}.`;
  }
  return null;
}

/** The source's change column as a filter from `since`; null when it has none (or it no longer fits). */
export function changeFilterOf(
  source: { columns: SourceColumn[]; changeColumn: string | null; changeOverlap: number },
  since: string | null,
): ChangeFilter | null {
  if (!source.changeColumn) return null;
  const column = source.columns.find((c) => c.name === source.changeColumn);
  const kind = column && orderableTypes.get(column.postgresType);
  if (!column || !kind) return null;
  return {
    column: column.name,
    postgresType: column.postgresType,
    kind,
    since,
    overlap: source.changeOverlap,
  };
}

/**
 * The higher of two change values as the sync reads them (integers as decimal text, times as
 * `YYYY-MM-DDTHH:MI:SS.US` in UTC, which sorts as text); null counts as lowest.
 */
export function higherChangeValue(kind: ChangeKind, a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  if (kind === 'integer') return BigInt(b) > BigInt(a) ? b : a;
  return b > a ? b : a;
}
