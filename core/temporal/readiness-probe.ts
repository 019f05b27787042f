import { Connection, type ConnectionOptions } from '@temporalio/client';

/** The address, TLS, API key and metadata the process connects to Temporal with. */
export type TemporalProbeOptions = Pick<ConnectionOptions, 'address' | 'tls' | 'apiKey' | 'metadata'>;

/**
 * Whether Temporal's frontend answers, over a connection of its own without the SDK's retries: a probe
 * fails at once when the server is down, and leaves no retry behind that would outlive the connection.
 */
export function openTemporalProbe(
  options: TemporalProbeOptions,
  timeoutMs: number,
): { check(): Promise<void>; close(): Promise<void> } {
  const probe = Connection.lazy({ ...options, interceptors: [] });
  return {
    check: async () => {
      await probe.withDeadline(Date.now() + timeoutMs, () => probe.workflowService.getSystemInfo({}));
    },
    close: () => probe.close(),
  };
}
