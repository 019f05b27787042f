import type { ReactNode } from 'react';

export type Column<Row> = { title: string; cell: (row: Row) => ReactNode };

/**
 * A table of rows with its empty state; on a narrow screen it scrolls sideways inside its own box
 * (focusable, so the keyboard scrolls it too) and says so.
 */
export function DataTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  empty,
  isCurrent,
}: {
  label: string;
  columns: Array<Column<Row>>;
  rows: Row[] | undefined;
  rowKey: (row: Row) => string;
  empty: string;
  /** The row the page shows in detail (marked for screen readers and by style). */
  isCurrent?: (row: Row) => boolean;
}) {
  if (!rows) return null;
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <>
      <p className="scroll-hint" aria-hidden="true">
        Scroll the table sideways for more columns →
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
      <section className="table-scroll" aria-label={label} tabIndex={0}>
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.title} scope="col">
                  {c.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={rowKey(row)} aria-current={isCurrent?.(row) ? 'true' : undefined}>
                {columns.map((c) => (
                  <td key={c.title}>{c.cell(row)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
