import type postgres from 'postgres';
import type { SourceColumn } from '../../db/schema.ts';
import type { ChangeFilter } from './change-column.ts';
import { isSupportedType, supportedTypeName } from './column-types.ts';
import type { SourceTransaction } from './source-transaction.ts';

/** What a source reads: a table or view, or a query returning customer_id and attribute columns. */
export type SourceDefinition = { tableName: string | null; query: string | null };

/** A source definition or its rows that cannot be used; the message names what is wrong, never row data. */
export class SourceDefinitionError extends Error {
  override name = 'SourceDefinitionError';
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** A table name, optionally schema-qualified (`crm.customers`), quoted part by part. */
export function quotedTable(table: string): string {
  const parts = table.split('.');
  if (parts.length > 2 || parts.some((p) => p.trim() === '')) {
    throw new SourceDefinitionError(
      'table must be a table or view name, optionally schema-qualified (schema.table).',
    );
  }
  return parts.map(quoteIdent).join('.');
}

function baseQuery({ tableName, query }: SourceDefinition): string {
  if ((tableName ?? '').includes('\0') || (query ?? '').includes('\0')) {
    throw new SourceDefinitionError('The table or query must not contain NUL characters.');
  }
  if (tableName) return `select * from ${quotedTable(tableName)}`;
  const text = (query ?? '').trim().replace(/;\s*$/, '');
  if (!text) throw new SourceDefinitionError('Give a table or a query.');
  return text;
}

// postgres.js sends a query without parameters as a simple query, which may hold several statements.
const extendedProtocol = { simple: false } as postgres.UnsafeQueryOptions;

/**
 * The first rows' columns, their Postgres types and the attributes they become. One statement under the
 * extended protocol: Postgres refuses a query that holds several.
 */
export async function previewColumns(
  { tx: sql, cancellable }: SourceTransaction,
  definition: SourceDefinition,
): Promise<SourceColumn[]> {
  const result = await cancellable(
    sql.unsafe(`select * from (${baseQuery(definition)}) as source limit 5`, [], extendedProtocol),
  );
  const columns = result.columns ?? [];
  if (!columns.some((c) => c.name === 'customer_id')) {
    throw new SourceDefinitionError('The source must return a customer_id column.');
  }
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new SourceDefinitionError(`The column ${c.name} appears twice.`);
    names.add(c.name);
  }
  const unknown = [...new Set(columns.map((c) => c.type).filter((oid) => !supportedTypeName(oid)))];
  const named = new Map<number, string>();
  if (unknown.length) {
    // Source connections fetch no array types: the OIDs go as an array literal in text.
    const rows = await cancellable(sql<{ oid: number; name: string }[]>`
      select oid::int as oid, format_type(oid, null) as name from pg_type where oid = any(${`{${unknown.join(',')}}`}::oid[])`);
    for (const r of rows) named.set(r.oid, r.name);
  }
  return columns.map((c) => ({
    name: c.name,
    postgresType: supportedTypeName(c.type) ?? named.get(c.type) ?? `oid ${c.type}`,
    attribute: c.name === 'customer_id' || !isSupportedType(c.type) ? null : c.name,
  }));
}

/**
 * The statement a sync streams: customer_id as text and the mapped columns as one jsonb object (nulls
 * left out), in customer_id order (byte order) after `cursor`. The columns are named, so one dropped
 * in the source fails the sync instead of silently emptying an attribute. With a change filter, each
 * row also carries its change value (`change`, as higherChangeValue compares it); with a watermark
 * (`since`), only rows changed since then — or with no change value — carry their attributes, the
 * others their key alone (attributes null).
 */
export function syncStatement(
  definition: SourceDefinition,
  columns: SourceColumn[],
  cursor: string | null,
  change: ChangeFilter | null = null,
) {
  const after = cursor === null ? '' : `where picked.customer_id::text collate "C" > ${quoteLiteral(cursor)}`;
  return rowsStatement(definition, columns, change, after, true);
}

/** The rows whose customer ids are the statement's $1 (a jsonb array of strings), read in full. */
export function rowsByKeyStatement(
  definition: SourceDefinition,
  columns: SourceColumn[],
  change: ChangeFilter | null,
) {
  const only = 'where picked.customer_id::text in (select jsonb_array_elements_text($1::text::jsonb))';
  return rowsStatement(definition, columns, change, only, false);
}

function rowsStatement(
  definition: SourceDefinition,
  columns: SourceColumn[],
  change: ChangeFilter | null,
  where: string,
  changedOnly: boolean,
) {
  const mapped = columns.filter((c) => c.attribute);
  const names = ['customer_id', ...mapped.map((c) => c.name)];
  if (change && !names.includes(change.column)) names.push(change.column);
  const picked = names.map((n) => `source.${quoteIdent(n)}`).join(', ');
  const object = mapped.length
    ? `jsonb_strip_nulls(${chunks(mapped)
        .map(
          (part) =>
            `jsonb_build_object(${part.map((c) => `${quoteLiteral(c.attribute as string)}, picked.${quoteIdent(c.name)}`).join(', ')})`,
        )
        .join(' || ')})`
    : `'{}'::jsonb`;
  const changed =
    change && change.since !== null && changedOnly ? changedSince({ ...change, since: change.since }) : null;
  const attributes = changed ? `case when ${changed} then ${object}::text end` : `${object}::text`;
  return `select picked.customer_id::text as id, ${attributes} as attributes, ${change ? changeValue(change) : 'null::text'} as change
    from (select ${picked} from (${baseQuery(definition)}) as source) as picked
    ${where}
    order by picked.customer_id::text collate "C" nulls first`;
}

/** The change value as text that orders as the values do (see higherChangeValue); null when infinite. */
function changeValue(change: ChangeFilter): string {
  const column = `picked.${quoteIdent(change.column)}`;
  return change.kind === 'integer'
    ? `${column}::text`
    : `case when isfinite(${column}) then to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.US') end`;
}

/**
 * Changed since the watermark less the overlap — the overlap re-reads rows whose transactions
 * committed after the last read with values it had already passed (0: trust that none do) — or with
 * no change value at all (always read).
 */
function changedSince(change: ChangeFilter & { since: string }): string {
  const column = `picked.${quoteIdent(change.column)}`;
  const overlap = Math.max(0, Math.trunc(change.overlap));
  const since = quoteLiteral(change.since);
  const from =
    change.kind === 'integer'
      ? `${column}::numeric > ${since}::numeric - ${overlap}`
      : `${column} > ${since}::${change.postgresType} - make_interval(secs => ${overlap})`;
  return `(${column} is null or ${from})`;
}

/** jsonb_build_object takes at most 100 arguments: 50 pairs per call. */
function chunks<T>(items: T[], size = 50): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
