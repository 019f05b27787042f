import { WorkflowNotFoundError } from '@temporalio/client';
import type { FakeAccount } from '../../fake-activecampaign/index.ts';
import { runAlertsWorkflowId } from '../../temporal.config.ts';
import type { Outbound } from './outbound.ts';

export const runFields = `id status trigger totalProfiles exportedCount rejectedCount failedCount skippedCount unconfirmedCount sentCount error workflowId
  temporalUrl startedAt finishedAt progress { phase processed total confirmed ratePerSecond etaSeconds }`;

export type RunView = {
  id: string;
  status: string;
  totalProfiles: number | null;
  exportedCount: number;
  rejectedCount: number;
  failedCount: number;
  skippedCount: number;
  unconfirmedCount: number;
  sentCount: number;
  error: string | null;
  workflowId: string;
  temporalUrl: string;
  progress: {
    phase: string;
    processed: number;
    confirmed: number;
    total: number | null;
    ratePerSecond: number | null;
    etaSeconds: number | null;
  };
};

const terminal = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];

export async function readRun(outbound: Outbound, id: string): Promise<RunView> {
  const data = await outbound.gql<{ exportRun: RunView }>(
    `query($id: ID!) { exportRun(id: $id) { ${runFields} } }`,
    { id },
  );
  return data.exportRun;
}

/** Polls exportRun until `until` holds (default: a final status), failing after `timeoutMs`. */
export async function waitForRun(
  outbound: Outbound,
  id: string,
  { timeoutMs = 120_000, until = (run: RunView) => terminal.includes(run.status) } = {},
): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await readRun(outbound, id);
    if (until(run)) return run;
    if (Date.now() > deadline)
      throw new Error(`Run ${id} still ${run.status} after ${timeoutMs} ms: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Resolves once the in-process worker has no activity in flight: whatever a stopped run's activities were
 * still doing has ended, so a count read afterwards cannot grow from them.
 */
export async function waitForIdleWorker(outbound: Outbound, timeoutMs = 60_000): Promise<void> {
  const worker = outbound.worker?.worker;
  if (!worker) throw new Error('This Outbound has no in-process worker');
  const deadline = Date.now() + timeoutMs;
  while (worker.getStatus().numInFlightActivities > 0) {
    if (Date.now() > deadline) throw new Error(`The worker still runs activities after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * With `account`'s requests held, lets each through until a bulk import arrives, and keeps that one
 * held: the run has prepared (pinned its segments' generations) and its push is under way.
 */
export async function holdAtFirstImport(account: FakeAccount): Promise<void> {
  for (;;) {
    await account.heldRequests();
    if (account.requests().at(-1)?.path === '/api/3/import/bulk_import') return;
    account.releaseRequests();
    account.holdRequests();
  }
}

/** What a finished run's alerts workflow returned: it ends once every alert of the run is sent. */
export async function alertsOf(outbound: Outbound, runId: string): Promise<{ sent: number }> {
  const handle = outbound.deps.temporal.workflow.getHandle(runAlertsWorkflowId(runId));
  // The run's workflow starts it just after recording the outcome the test waited for.
  for (let tries = 0; ; tries++) {
    try {
      return await handle.result();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError) || tries > 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
