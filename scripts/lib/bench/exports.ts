import type { FakeAccountRef } from './accounts.ts';
import type { Gql } from './graphql-client.ts';

/** One account's connection and its export of the bench's segment to list 7. */
export type BenchExport = { account: FakeAccountRef; connectionId: string; exportId: string };

/** One connection and one export per account, all on the one segment, through the API. */
export async function createExports(
  gql: Gql,
  accounts: FakeAccountRef[],
  segmentId: string,
): Promise<BenchExport[]> {
  const exports: BenchExport[] = [];
  for (const account of accounts) {
    const suffix = accounts.length === 1 ? '' : ` ${account.n}`;
    const { createConnection } = await gql(
      `mutation($input: CreateConnectionInput!) { createConnection(input: $input) { id } }`,
      {
        input: {
          displayName: `Bench${suffix}`,
          apiHost: account.host,
          apiKey: account.key,
          acceptDataPrivacy: true,
        },
      },
    );
    const { createExport } = await gql(
      `mutation($input: CreateExportInput!) { createExport(input: $input) { id } }`,
      {
        input: {
          name: `Bench export${suffix}`,
          connectionId: createConnection.id,
          listId: '7',
          segmentIds: [segmentId],
          mapping: { email: 'Email', firstName: 'FirstName', lastName: 'LastName', phone: 'Phone' },
        },
      },
    );
    exports.push({ account, connectionId: createConnection.id, exportId: createExport.id });
  }
  return exports;
}

export type PolledRun = {
  id: string;
  status: string;
  error: string | null;
  finishedAt: string | null;
  exportedCount: number;
  rejectedCount: number;
  failedCount: number;
  sentCount: number;
  unchangedCount: number;
  progress: { processed: number };
};

/** A finished run, with its seconds from the runExport request to the run's own finishedAt. */
export type FinishedRun = PolledRun & { seconds: number; finishedAtMs: number };

const runFields =
  'id status error finishedAt exportedCount rejectedCount failedCount sentCount unchangedCount progress { processed }';
/** Runs polled per request: the API allows 15 aliases a document. */
const pollChunk = 10;

async function pollRuns(gql: Gql, ids: string[]): Promise<PolledRun[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += pollChunk) chunks.push(ids.slice(i, i + pollChunk));
  const answers = await Promise.all(
    chunks.map(async (chunk) => {
      const params = chunk.map((_, i) => `$i${i}: ID!`).join(', ');
      const fields = chunk.map((_, i) => `r${i}: exportRun(id: $i${i}) { ${runFields} }`).join(' ');
      const data = await gql<Record<string, PolledRun>>(
        `query(${params}) { ${fields} }`,
        Object.fromEntries(chunk.map((id, i) => [`i${i}`, id])),
      );
      return chunk.map((_, i) => data[`r${i}`] as PolledRun);
    }),
  );
  return answers.flat();
}

const isActive = (run: PolledRun) => run.status === 'QUEUED' || run.status === 'RUNNING';

/**
 * Starts every export's run together (the runExport mutations sent concurrently) and polls them all
 * (one request per 10 runs, every 250 ms) until none is queued or running. `onPoll` sees each poll's
 * answer. Seconds are from each runExport request to the run's own finishedAt: independent of how
 * often it is polled.
 */
export async function runTogether(
  gql: Gql,
  exports: BenchExport[],
  onPoll: (runs: PolledRun[]) => void = () => {},
): Promise<{ runs: FinishedRun[]; begunMs: number }> {
  const begunMs = Date.now();
  const started = await Promise.all(
    exports.map(async ({ exportId }) => {
      const begun = Date.now();
      const { runExport } = await gql(`mutation($id: ID!) { runExport(id: $id) { id } }`, { id: exportId });
      return { id: runExport.id as string, begun };
    }),
  );
  for (;;) {
    const runs = await pollRuns(
      gql,
      started.map((s) => s.id),
    );
    onPoll(runs);
    if (!runs.some(isActive))
      return {
        begunMs,
        runs: runs.map((run, i) => {
          const finishedAtMs = Date.parse(run.finishedAt ?? '');
          return { ...run, finishedAtMs, seconds: (finishedAtMs - (started[i]?.begun ?? begunMs)) / 1000 };
        }),
      };
    await new Promise((r) => setTimeout(r, 250));
  }
}
