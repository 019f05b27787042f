import { useEffect, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import type { RunStatus } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { skippedExplanation } from '../runs/skip-reasons.ts';
import { href } from '../shell/route.ts';
import { may, useViewer } from '../shell/viewer.ts';
import { count, duration, statusWords, when } from '../ui/format.ts';
import { ProblemMessage } from '../ui/Problem.tsx';
import { Pager, useCursorPages } from '../ui/paging.tsx';
import { RejectsCsvLink } from './RejectsCsvLink.tsx';
import { RunTable } from './RunTable.tsx';
import { rejectOutcomeWords } from './reject-outcomes.ts';
import { triggerWords } from './trigger-words.ts';

graphql(`
  fragment RunRowFields on ExportRun {
    id
    exportId
    status
    trigger
    startedAt
    totalProfiles
    exportedCount
    rejectedCount
    skippedCount
    resultsWriteError
  }
`);

const ExportRuns = graphql(`
  query ExportRuns($exportId: ID!, $after: String) {
    export(id: $exportId) {
      id
      name
      runs(first: 20, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...RunRowFields
        }
      }
    }
  }
`);

const AllRuns = graphql(`
  query AllRuns($after: String, $status: RunStatus) {
    exportRuns(first: 20, after: $after, status: $status) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...RunRowFields
        exportName
      }
    }
  }
`);

const ExportNames = graphql(`
  query ExportNames {
    exports(first: 100) {
      nodes {
        id
        name
        lastRun {
          id
          status
        }
      }
    }
  }
`);

const RunDetails = graphql(`
  query RunDetails($id: ID!, $after: String) {
    exportRun(id: $id) {
      ...RunFields
      rejects(first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          customerId
          email
          outcome
          reason
          field
          value
          activeCampaignReason
          message
        }
      }
    }
  }
`);

graphql(`
  fragment RunFields on ExportRun {
    id
    exportName
    status
    trigger
    error
    resultsWriteError
    startedAt
    finishedAt
    totalProfiles
    sentCount
    addedCount
    updatedCount
    unchangedCount
    exportedCount
    rejectedCount
    failedCount
    skippedCount
    unconfirmedCount
    leaverCount
    unsubscribedCount
    temporalUrl
    progress {
      phase
      processed
      total
      confirmed
      ratePerSecond
      etaSeconds
    }
  }
`);

const RunProgress = graphql(`
  subscription RunProgress($id: ID!) {
    exportRunProgress(id: $id) {
      ...RunFields
    }
  }
`);

const CancelRun = graphql(`
  mutation CancelRun($id: ID!) {
    cancelExportRun(id: $id) {
      id
      status
    }
  }
`);

const statusChoices = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] as const;

export function RunsPage({ exportId, runId }: { exportId: string | null; runId: string | null }) {
  const [{ data }] = useQuery({ query: ExportNames });
  const exports = data?.exports.nodes ?? [];
  // The selected run's status, so the list below is fetched again when it changes.
  const [shownStatus, setShownStatus] = useState('');
  return (
    <>
      <div className="field inline">
        <label htmlFor="runs-export">Export</label>
        <select
          id="runs-export"
          value={exportId ?? ''}
          onChange={(e) => {
            location.hash = e.target.value ? href('runs', { export: e.target.value }) : href('runs');
          }}
        >
          <option value="">All exports</option>
          {exports.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </div>
      {runId && <RunDetail key={runId} runId={runId} onStatus={setShownStatus} />}
      {exportId ? (
        <ExportRunList key={exportId} exportId={exportId} selected={runId} selectedStatus={shownStatus} />
      ) : (
        <AllRunList selected={runId} selectedStatus={shownStatus} />
      )}
    </>
  );
}

/** Refetches `refetch` whenever the status of the run shown in detail changes. */
function useRefetchOn(status: string, refetch: (opts: { requestPolicy: 'network-only' }) => void) {
  useEffect(() => {
    if (status) refetch({ requestPolicy: 'network-only' });
  }, [status, refetch]);
}

function AllRunList({ selected, selectedStatus }: { selected: string | null; selectedStatus: string }) {
  const pages = useCursorPages();
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [{ data, error }, refetch] = useQuery({
    query: AllRuns,
    variables: { after: pages.after, status: status || null },
  });
  useRefetchOn(selectedStatus, refetch);
  const runs = data?.exportRuns;
  return (
    <section aria-labelledby="all-runs-title">
      <h2 id="all-runs-title">Recent runs of every export</h2>
      <div className="field inline">
        <label htmlFor="runs-status">Status</label>
        <select
          id="runs-status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as RunStatus | '');
            pages.reset();
          }}
        >
          <option value="">Any status</option>
          {statusChoices.map((s) => (
            <option key={s} value={s}>
              {statusWords[s]}
            </option>
          ))}
        </select>
      </div>
      <ProblemMessage error={error} />
      <RunTable
        runs={runs?.nodes}
        selected={selected}
        showExport
        empty={status ? 'No run with this status.' : 'No export has run yet.'}
      />
      <Pager label="runs" pages={pages} of={runs} />
    </section>
  );
}

function ExportRunList({
  exportId,
  selected,
  selectedStatus,
}: {
  exportId: string;
  selected: string | null;
  selectedStatus: string;
}) {
  const pages = useCursorPages();
  const [{ data, error }, refetch] = useQuery({
    query: ExportRuns,
    variables: { exportId, after: pages.after },
  });
  useRefetchOn(selectedStatus, refetch);
  const runs = data?.export.runs;
  return (
    <section aria-labelledby="export-runs-title">
      <h2 id="export-runs-title">Runs of “{data?.export.name ?? '…'}”</h2>
      <ProblemMessage error={error} />
      <RunTable
        runs={runs?.nodes}
        selected={selected}
        showExport={false}
        empty="This export has not run yet."
      />
      <Pager label="runs" pages={pages} of={runs} />
    </section>
  );
}

const phaseWords: Record<string, string> = {
  QUEUED: 'Checking the list and pinning the segments',
  PUSHING: 'Sending contacts',
  AWAITING_IMPORTS: 'ActiveCampaign is importing',
  HANDLING_LEAVERS: 'Handling leavers',
  FINISHED: 'Finished',
};

function RunDetail({ runId, onStatus }: { runId: string; onStatus: (status: string) => void }) {
  const viewer = useViewer();
  const rejectPages = useCursorPages();
  const [{ data, error }, refetch] = useQuery({
    query: RunDetails,
    variables: { id: runId, after: rejectPages.after },
  });
  const active = data ? data.exportRun.status === 'QUEUED' || data.exportRun.status === 'RUNNING' : true;
  const [live] = useSubscription({ query: RunProgress, variables: { id: runId }, pause: !active });
  const [cancelled, cancel] = useMutation(CancelRun);
  const run = live.data?.exportRunProgress ?? data?.exportRun;
  const liveStatus = live.data?.exportRunProgress.status;
  useEffect(() => {
    // Rejects are listed once the run has ended.
    if (liveStatus && liveStatus !== 'QUEUED' && liveStatus !== 'RUNNING')
      refetch({ requestPolicy: 'network-only' });
  }, [liveStatus, refetch]);
  const status = run?.status ?? '';
  useEffect(() => onStatus(status), [status, onStatus]);
  if (!run) return <ProblemMessage error={error} />;
  const running = run.status === 'QUEUED' || run.status === 'RUNNING';
  const p = run.progress;
  const rejects = data?.exportRun.rejects;
  // Emails are personal data: the API gives them to admins and contributors only.
  const showEmails = may.editExports(viewer);
  return (
    <section className="panel run" aria-label="Run">
      <h2>
        Run of “{run.exportName}”: <span data-testid="run-status">{statusWords[run.status]}</span>
      </h2>
      <p className="muted" data-testid="run-trigger">
        Started {triggerWords[run.trigger]}
      </p>
      {running && (
        <div className="progress">
          <label htmlFor="run-progress">{phaseWords[p.phase]}</label>
          <progress id="run-progress" max={p.total ?? undefined} value={p.total ? p.processed : undefined} />
          <p className="muted">
            {count(p.processed)} of {count(p.total)} sent
            {p.phase === 'AWAITING_IMPORTS' && `, ${count(p.confirmed)} confirmed`}
            {p.ratePerSecond != null && ` · ${Math.round(p.ratePerSecond).toLocaleString()} contacts/s`}
            {p.etaSeconds != null && ` · about ${duration(p.etaSeconds)} left`}
          </p>
        </div>
      )}
      {run.error && (
        <p role="alert" className="problem">
          {run.error}
        </p>
      )}
      {run.resultsWriteError && (
        <p className="warning" data-testid="results-write-error">
          The results could not be written to the export’s results target: {run.resultsWriteError}
        </p>
      )}
      <dl className="counts">
        <dt>Profiles</dt>
        <dd data-count="total">{count(run.totalProfiles)}</dd>
        <dt>Added</dt>
        <dd data-count="added">{count(run.addedCount)}</dd>
        <dt>Updated</dt>
        <dd data-count="updated">{count(run.updatedCount)}</dd>
        <dt>Unchanged</dt>
        <dd data-count="unchanged">{count(run.unchangedCount)}</dd>
        <dt>Exported</dt>
        <dd data-count="exported">{count(run.exportedCount)}</dd>
        <dt>Rejected</dt>
        <dd data-count="rejected">{count(run.rejectedCount)}</dd>
        <dt>Failed in ActiveCampaign</dt>
        <dd data-count="failed">{count(run.failedCount)}</dd>
        <dt>Skipped (refused for good)</dt>
        <dd data-count="skipped">{count(run.skippedCount)}</dd>
        <dt>Outcome unknown</dt>
        <dd data-count="unconfirmed">{count(run.unconfirmedCount)}</dd>
        <dt>Leavers</dt>
        <dd data-count="leavers">
          {count(run.leaverCount)} ({count(run.unsubscribedCount)} unsubscribed)
        </dd>
        <dt>Started</dt>
        <dd>{when(run.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{when(run.finishedAt)}</dd>
      </dl>
      <div className="actions">
        {running && may.editExports(viewer) && (
          <button
            type="button"
            className="danger"
            disabled={cancelled.fetching}
            onClick={() => cancel({ id: run.id })}
          >
            Cancel run
          </button>
        )}
        <a href={run.temporalUrl} target="_blank" rel="noreferrer">
          Open in the Temporal UI
        </a>
      </div>
      <ProblemMessage error={cancelled.error ?? live.error} />
      {run.skippedCount > 0 && <p className="help">Skipped: {skippedExplanation}</p>}
      {rejects && rejects.totalCount > 0 && (
        <>
          <h3>Contacts not exported ({count(rejects.totalCount)})</h3>
          <div className="actions">
            <RejectsCsvLink runId={run.id} />
          </div>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Customer id</th>
                  {showEmails && <th scope="col">Email</th>}
                  <th scope="col">Outcome</th>
                  <th scope="col">Field</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {rejects.nodes.map((r) => (
                  <tr key={r.customerId} data-reason={r.reason}>
                    <td>{r.customerId}</td>
                    {showEmails && <td>{r.email}</td>}
                    <td data-outcome={r.outcome}>{rejectOutcomeWords[r.outcome]}</td>
                    <td>
                      {r.field}
                      {r.value != null && (
                        <>
                          {r.field ? ': ' : ''}
                          <q>{r.value}</q>
                        </>
                      )}
                    </td>
                    <td>
                      {r.message}
                      {r.activeCampaignReason && (
                        <span className="muted"> ActiveCampaign: “{r.activeCampaignReason}”</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager label="contacts not exported" pages={rejectPages} of={rejects} />
        </>
      )}
    </section>
  );
}
