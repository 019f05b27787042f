import type { Client } from '@temporalio/client';

/** Every byte string in a history (payloads are JSON in bytes) turned back into text, for scanning. */
function toText(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(toText).join(' ');
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${toText(v)}`)
      .join(' ');
  }
  return String(value);
}

/** The full text of every execution of a workflow id (continue-as-new chains included). */
export async function workflowHistoryText(
  client: Client,
  workflowId: string,
): Promise<{ text: string; executions: number; events: number[] }> {
  let text = '';
  const events: number[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
    events.push(history.events?.length ?? 0);
    text += toText(history);
  }
  return { text, executions: events.length, events };
}
