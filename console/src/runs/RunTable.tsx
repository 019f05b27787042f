import type { RunStatus, RunTrigger } from '../gql/graphql.ts';
import { href } from '../shell/route.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { count, statusWords, when } from '../ui/format.ts';
import { triggerWords } from './trigger-words.ts';

export type RunRow = {
  id: string;
  exportId: string;
  exportName?: string;
  status: RunStatus;
  trigger: RunTrigger;
  startedAt?: string | null;
  totalProfiles?: number | null;
  exportedCount: number;
  rejectedCount: number;
  skippedCount: number;
  resultsWriteError?: string | null;
};

/** Runs as a table; each links to its details. With `showExport`, a column names each run's export. */
export function RunTable({
  runs,
  selected,
  showExport,
  empty,
}: {
  runs: RunRow[] | undefined;
  selected: string | null;
  showExport: boolean;
  empty: string;
}) {
  const link = (r: RunRow) => (
    <a href={href('runs', { export: r.exportId, run: r.id })}>
      {r.startedAt ? when(r.startedAt) : 'not started yet'}
    </a>
  );
  return (
    <DataTable
      label="Runs"
      rows={runs}
      rowKey={(r) => r.id}
      isCurrent={(r) => r.id === selected}
      empty={empty}
      columns={[
        { title: 'Started', cell: link },
        ...(showExport ? [{ title: 'Export', cell: (r: RunRow) => r.exportName }] : []),
        { title: 'Trigger', cell: (r) => triggerWords[r.trigger] },
        {
          title: 'Status',
          cell: (r) => `${statusWords[r.status]}${r.resultsWriteError ? ' (results not written)' : ''}`,
        },
        { title: 'Profiles', cell: (r) => count(r.totalProfiles) },
        { title: 'Exported', cell: (r) => count(r.exportedCount) },
        { title: 'Rejected', cell: (r) => count(r.rejectedCount) },
        { title: 'Skipped', cell: (r) => count(r.skippedCount) },
      ]}
    />
  );
}
