import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import { keysetPage, newestFirst } from '../core/paging/keyset.ts';
import { rejectOutcome, rejectOutcomes } from '../core/runs/reject-outcome.ts';
import { rejectMessage } from '../core/runs/rejects-csv.ts';
import { countRejects, type RejectRow, rejectsPage, runHasReject } from '../core/runs/run-rejects.ts';
import {
  isTerminalRunStatus,
  runStatuses,
  runTriggers,
  type RunPhase as StoredRunPhase,
} from '../core/runs/run-status.ts';
import {
  countRunsOfExport,
  type ExportRunRow,
  exportHasRun,
  findRun,
  runsOfExportPage,
} from '../core/runs/run-store.ts';
import { builder } from './builder.ts';
import type { Context, Viewer } from './context.ts';
import { describedEnumValues } from './described-enum-values.ts';
import { keysetConnection, uuidKeysetConnection } from './keyset-connection.ts';
import { loadById } from './load-by-id.ts';
import { maySeePersonalData } from './personal-data.ts';
import { releasingOnClose } from './subscription-slots.ts';

export const isTerminal = (run: ExportRunRow) => isTerminalRunStatus(run.status);

export const RunStatusEnum = builder.enumType('RunStatus', {
  values: runStatuses,
});
export const RunTriggerEnum = builder.enumType('RunTrigger', {
  values: describedEnumValues(runTriggers, {
    ON_DEMAND: 'Started with startExportRun.',
    SCHEDULED: 'Started by the scheduled refresh.',
    SOURCE_CHANGED: 'Started because a source’s changeQuery value changed (its sync and segments ran first).',
  }),
});

export const RunPhaseEnum = builder.enumType('RunPhase', {
  values: {
    QUEUED: { description: 'Not started yet, or checking the destination and pinning the segments.' },
    PUSHING: { description: 'Sending new and changed contacts to ActiveCampaign in bulk imports.' },
    AWAITING_IMPORTS: {
      description: 'Everything is sent; waiting for ActiveCampaign to report the imports done.',
    },
    HANDLING_LEAVERS: { description: 'Unsubscribing or releasing the contacts who left the segments.' },
    FINISHED: { description: 'The run has ended (see status).' },
  } as const satisfies Record<RunPhase, { description: string }>,
});

/** The stored phase, QUEUED before the run has one and FINISHED once it has ended. */
type RunPhase = 'QUEUED' | StoredRunPhase | 'FINISHED';

type Progress = {
  phase: RunPhase;
  processed: number;
  total: number | null;
  confirmed: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
};

/**
 * Processed = sent to ActiveCampaign or rejected before sending; rate over the time since the run started.
 * Confirmed = contacts ActiveCampaign has reported on (imported or failed). The ETA is the push's: once
 * everything is processed but the run is still waiting on ActiveCampaign, there is none to give.
 */
export function runProgress(run: ExportRunRow, now = Date.now()): Progress {
  const processed = run.sentCount + run.rejectedCount;
  const total = run.totalProfiles;
  const elapsed = run.startedAt ? ((run.finishedAt?.getTime() ?? now) - run.startedAt.getTime()) / 1000 : 0;
  const ratePerSecond = elapsed > 0 ? processed / elapsed : null;
  const remaining = total === null ? null : Math.max(0, total - processed);
  const phase: RunPhase = isTerminal(run) ? 'FINISHED' : (run.phase ?? 'QUEUED');
  const etaSeconds =
    phase === 'FINISHED'
      ? 0
      : phase === 'PUSHING' && remaining && ratePerSecond
        ? remaining / ratePerSecond
        : null;
  return {
    phase,
    processed,
    total,
    confirmed: run.exportedCount + run.failedCount + run.skippedCount,
    ratePerSecond,
    etaSeconds,
  };
}

const ProgressType = builder.objectRef<Progress>('ExportRunProgress').implement({
  fields: (t) => ({
    phase: t.field({ type: RunPhaseEnum, resolve: (p) => p.phase }),
    processed: t.exposeInt('processed', {
      description: 'Profiles sent to ActiveCampaign or rejected before sending.',
    }),
    total: t.exposeInt('total', { nullable: true }),
    confirmed: t.exposeInt('confirmed', {
      description:
        'Contacts ActiveCampaign has reported on: imported (exportedCount), failed (failedCount) or skipped (skippedCount).',
    }),
    ratePerSecond: t.exposeFloat('ratePerSecond', {
      nullable: true,
      description: 'Profiles per second so far.',
    }),
    etaSeconds: t.exposeFloat('etaSeconds', {
      nullable: true,
      description: 'Seconds until the push is done while PUSHING; 0 once finished, null otherwise.',
    }),
  }),
});

export const RejectOutcomeEnum = builder.enumType('RejectOutcome', {
  values: describedEnumValues(rejectOutcomes, {
    NOT_SENT:
      'Never sent: Outbound’s own checks kept it out of every import (no or invalid email, duplicate, a value a field would refuse, too large).',
    REFUSED:
      'Refused by ActiveCampaign when validating the import (REJECTED_BY_ACTIVECAMPAIGN): not imported; the rest of the import went ahead.',
    FAILED: 'Sent, and not imported for a reason a retry may fix: sent again next run.',
    SKIPPED: 'Refused for good (UNSUBSCRIBED, REFUSED_REPEATEDLY): not sent again until its data changes.',
  }),
});

/** Personal data of a reject, for the roles that may see it (maySeePersonalData); null for the others. */
const personal = (value: string | null | undefined, ctx: Context) =>
  maySeePersonalData(ctx.viewer) ? (value ?? null) : null;

export const RejectType = builder.objectRef<RejectRow>('ExportRunReject').implement({
  fields: (t) => ({
    customerId: t.exposeString('customerId'),
    email: t.string({
      nullable: true,
      description:
        'The email the run had for the contact. Admins and contributors only (null for viewers, and when the profile has none).',
      resolve: (r, _a, ctx) => personal(r.email, ctx),
    }),
    outcome: t.field({ type: RejectOutcomeEnum, resolve: (r) => rejectOutcome(r.reason) }),
    reason: t.exposeString('reason'),
    field: t.string({
      nullable: true,
      description:
        'The field refused, when the check or ActiveCampaign named one: a custom field’s title (as the export saved it), or a standard field (email, first_name, last_name, phone).',
      resolve: (r) => r.field ?? null,
    }),
    value: t.string({
      nullable: true,
      description: 'The value refused in `field` (at most 1,000 characters). Admins and contributors only.',
      resolve: (r, _a, ctx) => personal(r.value, ctx),
    }),
    activeCampaignReason: t.string({
      nullable: true,
      description:
        'ActiveCampaign’s own words for a refusal (REJECTED_BY_ACTIVECAMPAIGN), as it wrote them. Admins and contributors only.',
      resolve: (r, _a, ctx) => personal(r.detail, ctx),
    }),
    message: t.string({ resolve: (r) => rejectMessage(r.reason) }),
  }),
});

export const ExportRunType = builder.objectRef<ExportRunRow>('ExportRun').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    exportId: t.exposeID('exportId'),
    status: t.field({ type: RunStatusEnum, resolve: (r) => r.status }),
    trigger: t.field({ type: RunTriggerEnum, resolve: (r) => r.trigger }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    totalProfiles: t.exposeInt('totalProfiles', { nullable: true }),
    exportedCount: t.exposeInt('exportedCount', { description: 'Contacts ActiveCampaign imported.' }),
    rejectedCount: t.exposeInt('rejectedCount', {
      description:
        'Profiles not imported: kept out by Outbound’s own checks (no or invalid email, duplicates, a value a field would refuse, too large), or refused by ActiveCampaign when validating the import (outcome NOT_SENT or REFUSED in rejects).',
    }),
    failedCount: t.exposeInt('failedCount', {
      description:
        'Contacts ActiveCampaign did not import for a reason a retry may fix, sent again next run: NOT_CREATED ' +
        '(the contact does not exist after the import), IMPORT_FAILED_ALONE, IMPORT_FAILED, FAILURE_NOT_CLASSIFIED.',
    }),
    skippedCount: t.exposeInt('skippedCount', {
      description:
        'Contacts ActiveCampaign refused for good: unsubscribed themselves from the list (UNSUBSCRIBED), or refused ' +
        'on OUTBOUND_MAX_CONTACT_ATTEMPTS runs with the same data (REFUSED_REPEATEDLY); reasons listed in rejects. ' +
        'Not sent again until their data changes (later runs count them as unchanged).',
    }),
    unconfirmedCount: t.exposeInt('unconfirmedCount', {
      description:
        'Contacts sent whose outcome the run did not see: ActiveCampaign accepted their imports, but the run ' +
        'ended (cancelled, timed out or failed) before they finished. Most land on the list all the same; ' +
        'the next run sends them again. Once a run has ended, sentCount = exportedCount + failedCount + skippedCount + unconfirmedCount.',
    }),
    sentCount: t.exposeInt('sentCount', { description: 'Contacts in bulk imports ActiveCampaign accepted.' }),
    addedCount: t.exposeInt('addedCount', {
      description: 'Contacts sent for the first time by this export.',
    }),
    updatedCount: t.exposeInt('updatedCount', {
      description: 'Contacts sent again because their data changed.',
    }),
    unchangedCount: t.exposeInt('unchangedCount', {
      description: 'Members not sent: unchanged since the last push.',
    }),
    leaverCount: t.exposeInt('leaverCount', {
      description: 'Contacts that left the segments since the last run.',
    }),
    unsubscribedCount: t.exposeInt('unsubscribedCount', {
      description: 'Leavers this run unsubscribed (UNSUBSCRIBE).',
    }),
    error: t.exposeString('error', { nullable: true }),
    resultsWriteError: t.exposeString('resultsWriteError', {
      nullable: true,
      description:
        'Why the run’s results could not be written to its export’s results target (after retries); null: written, or no target.',
    }),
    workflowId: t.exposeString('workflowId'),
    temporalUrl: t.string({
      resolve: (r, _a, ctx) =>
        `${ctx.temporalUiUrl}/namespaces/${encodeURIComponent(ctx.temporalNamespace)}/workflows/${encodeURIComponent(r.workflowId)}` +
        (r.temporalRunId ? `/${r.temporalRunId}/history` : ''),
    }),
    progress: t.field({ type: ProgressType, resolve: (r) => runProgress(r) }),
    rejects: t.connection({
      type: RejectType,
      description:
        'Rejected, failed and skipped profiles with their reasons, in customer-id order; all of them as CSV at GET /runs/<id>/rejects.csv (same Authorization).',
      resolve: (r, args, ctx) =>
        keysetConnection({
          args,
          list: 'ExportRun.rejects',
          cursorOf: (reject: RejectRow) => reject.customerId,
          isCursor: (cursor) => cursor.length > 0,
          cursorExists: (cursor) => runHasReject(ctx.db, r.id, cursor),
          page: (page) => rejectsPage(ctx.db, r.id, page.limit, (keyset) => keysetPage(page, keyset)),
          count: () => countRejects(ctx.db, r.id),
        }),
    }),
  }),
});

export function loadRun(ctx: Context, id: string): Promise<ExportRunRow> {
  return loadById('export run', id, (known) => findRun(ctx.db, known));
}

/**
 * Export.runs: newest first, keyset on (created_at, id). The cursor is the run id: the position is read
 * back from Postgres, so microsecond timestamps never pass through a JavaScript Date.
 */
export function resolveRunsConnection(ctx: Context, exportId: string, args: DefaultConnectionArguments) {
  return uuidKeysetConnection(args, 'Export.runs', {
    cursorExists: (cursor) => exportHasRun(ctx.db, exportId, cursor),
    page: (page) =>
      runsOfExportPage(ctx.db, exportId, page.limit, (table) => keysetPage(page, newestFirst(table))),
    count: () => countRunsOfExport(ctx.db, exportId),
  });
}

builder.queryField('exportRun', (t) =>
  t.field({
    type: ExportRunType,
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadRun(ctx, String(id)),
  }),
);

/** Resolves after `ms`, or at once when `signal` aborts; true when it aborted. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The run every second until it is final, or until this API process stops (the client resubscribes elsewhere). */
async function* progressOf(ctx: Context, first: ExportRunRow) {
  let run = first;
  yield run;
  while (!isTerminal(run)) {
    if (await sleepUnlessAborted(1_000, ctx.subscriptions.stopping)) return;
    run = await loadRun(ctx, run.id);
    yield run;
  }
}

builder.subscriptionField('exportRunProgress', (t) =>
  t.field({
    type: ExportRunType,
    authScopes: { authenticated: true },
    description:
      'The run every second while it is active; the last event is its final state, unless the API process stops first: the stream then completes early, and a new subscription (to another process) carries on.',
    args: { id: t.arg.id({ required: true }) },
    // Checks run before the stream opens, so a refusal is a plain GraphQL error.
    subscribe: async (_root, { id }, ctx) => {
      const first = await loadRun(ctx, String(id));
      const release = ctx.subscriptions.acquire((ctx.viewer as Viewer).id);
      return releasingOnClose(progressOf(ctx, first), release);
    },
    resolve: (run) => run,
  }),
);
