import { Client, Connection, type WorkflowHandle } from '@temporalio/client';

export type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/**
 * The event histories of every workflow execution of the exports' workflows (`export-<id>`) started
 * before `before` (an ISO time): the first runs' executions, continue-as-new ones included.
 */
export async function exportHistories(
  temporalAddress: string,
  exportIds: string[],
  before: string,
): Promise<HistoryEvent[][]> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection });
    const histories: HistoryEvent[][] = [];
    for (const id of exportIds) {
      for await (const execution of client.workflow.list({
        query: `WorkflowId = 'export-${id}' and StartTime < '${before}'`,
      })) {
        const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
        histories.push(history.events ?? []);
      }
    }
    return histories;
  } finally {
    await connection.close();
  }
}
