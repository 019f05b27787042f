import type { Logger as TemporalLogger } from '@temporalio/common';
import {
  type LogMetadata,
  makeTelemetryFilterString,
  Runtime,
  type LogLevel as TemporalLogLevel,
} from '@temporalio/worker';
import type { Logger } from '../../core/observability/logger.ts';

const levels = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's logger as our JSON logger. `runId` means an export run's id in our logs; the SDK
 * calls the workflow execution's run id `runId` in workflow context, so that one becomes
 * `workflowRunId` (as in activity context) — except in the export-run workflow's own log calls, which
 * pass the export run's `runId` over it. A workflow id `export-<id>` also gives the exportId.
 */
export function temporalLogger(logger: Logger): TemporalLogger {
  const log = (level: TemporalLogLevel, message: string, meta: LogMetadata = {}) => {
    const {
      workflowId,
      workflowType,
      workflowRunId,
      runId,
      sdkComponent,
      taskToken: _opaque,
      ...rest
    } = meta;
    const exportRun = typeof workflowId === 'string' && workflowId.startsWith('export-');
    const temporalRunId = workflowType && !workflowRunId && !(exportRun && sdkComponent === 'workflow');
    logger[levels[level]](
      {
        sdkComponent,
        ...rest,
        ...(workflowId ? { workflowId, workflowType } : {}),
        ...(temporalRunId ? { workflowRunId: runId } : { workflowRunId, runId }),
        ...(exportRun ? { exportId: workflowId.slice('export-'.length) } : {}),
      },
      message,
    );
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/**
 * Installs the process's Temporal runtime (before any connection is made): the SDK's logs, its native
 * core's warnings included, go to the JSON logger, and its worker metrics are exported in Prometheus
 * format on 127.0.0.1:`metricsPort`; `sdkMetrics()` reads them, for the worker's own `/metrics`.
 * Signals are left to the process: the SDK installs no handler of its own.
 */
export function installTemporalRuntime(logger: Logger, metricsPort: number) {
  const bindAddress = `127.0.0.1:${metricsPort}`;
  Runtime.install({
    logger: temporalLogger(logger),
    // The process handles its signals itself (scripts/lib/stop-signals.ts): the SDK's own handler
    // would swallow a SIGTERM that comes during start-up and stop the worker before it ran, unasked.
    shutdownSignals: [],
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      metrics: { prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true } },
    },
  });
  return {
    async sdkMetrics(): Promise<string> {
      const response = await fetch(`http://${bindAddress}/metrics`, { signal: AbortSignal.timeout(2_000) });
      return response.ok ? response.text() : '';
    },
  };
}
