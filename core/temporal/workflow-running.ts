import { type Client, WorkflowNotFoundError } from '@temporalio/client';

/** Whether the workflow with this id has an execution running now. */
export async function isWorkflowRunning(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    const description = await temporal.workflow.getHandle(workflowId).describe();
    return description.status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
