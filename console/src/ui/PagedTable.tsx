import { type Column, DataTable } from './DataTable.tsx';
import { type Paged, Pager, type useCursorPages } from './paging.tsx';

/** One page of a connection as a table of its nodes (by id), with the pager under it (`pagerLabel`). */
export function PagedTable<Row extends { id: string }>({
  label,
  pagerLabel,
  page,
  pages,
  columns,
  empty,
}: {
  label: string;
  pagerLabel: string;
  page: (Paged & { nodes: Row[] }) | undefined;
  pages: ReturnType<typeof useCursorPages>;
  columns: Array<Column<Row>>;
  empty: string;
}) {
  return (
    <>
      <DataTable label={label} rows={page?.nodes} rowKey={(row) => row.id} empty={empty} columns={columns} />
      <Pager label={pagerLabel} pages={pages} of={page} />
    </>
  );
}
