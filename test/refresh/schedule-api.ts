import { type ScheduleDescription, ScheduleNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { createApi } from '../../api/yoga.ts';
import type { GraphQLResponse, Outbound } from '../support/outbound.ts';

/** A refresh schedule id of its own: the Temporal dev server is shared by every test file. */
export const uniqueScheduleId = (label: string) =>
  `refresh-test-${label}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * The API of `outbound` with its own refresh schedule id (startOutbound keeps the production id), the
 * schedule's handle, and a cleanup that deletes the schedule.
 */
export function withScheduleId(outbound: Outbound, scheduleId: string) {
  const api = createApi({ ...outbound.deps, refreshScheduleId: scheduleId });

  // biome-ignore lint/suspicious/noExplicitAny: test responses are read loosely, like startOutbound's
  async function graphql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    token: string | null = outbound.adminToken,
  ): Promise<GraphQLResponse<T>> {
    const response = await api.fetch(
      new Request('http://outbound.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      }),
    );
    return (await response.json()) as GraphQLResponse<T>;
  }

  // biome-ignore lint/suspicious/noExplicitAny: as above
  async function gql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ) {
    const result = await graphql<T>(query, variables, token);
    if (result.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

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
