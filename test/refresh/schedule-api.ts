import { type ScheduleDescription, ScheduleNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { createApi } from '../../api/yoga.ts';
import { graphqlHelpers, type Outbound } from '../support/outbound.ts';

/** A refresh schedule id of its own: the Temporal dev server is shared by every test file. */
export const uniqueScheduleId = (label: string) =>
  `refresh-test-${label}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * The API of `outbound` with a refresh schedule id of the test's choosing, the
 * schedule's handle, and a cleanup that deletes the schedule.
 */
export function withScheduleId(outbound: Outbound, scheduleId: string) {
  const api = createApi({ ...outbound.deps, refreshScheduleId: scheduleId });

  const { graphql, gql } = graphqlHelpers(api, outbound.adminToken);

  const handle = () => outbound.deps.temporal.schedule.getHandle(scheduleId);

  return {
    scheduleId,
    graphql,
    gql,
    handle,
    async describe(): Promise<ScheduleDescription | null> {
      try {
        return await handle().describe();
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return null;
        throw error;
      }
    },
    /** The refresh workflow of the schedule's action number `index` (0-based), once the schedule took it. */
    async refreshWorkflow(index: number, timeoutMs = 30_000): Promise<WorkflowHandle> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { info } = await handle().describe();
        const action = info.recentActions[index];
        if (action) return outbound.deps.temporal.workflow.getHandle(action.action.workflow.workflowId);
        if (Date.now() > deadline)
          throw new Error(`The schedule took ${info.recentActions.length} actions, expected ${index + 1}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async delete() {
      await handle()
        .delete()
        .catch((error) => {
          if (!(error instanceof ScheduleNotFoundError)) throw error;
        });
    },
  };
}

export type ScheduleApi = ReturnType<typeof withScheduleId>;

export const scheduleFields = 'cron timezone maxConcurrentExports nextRunAt lastRunAt';
