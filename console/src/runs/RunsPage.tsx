import { useEffect, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql/index.ts';
import { isSkipReason, retriedReasonWords, skippedExplanation } from '../runs/skip-reasons.ts';
import { href } from '../shell/route.ts';
import { may, useViewer } from '../shell/viewer.ts';
import { count, duration, statusWords, when } from '../ui/format.ts';
import { ProblemMessage } from '../ui/Problem.tsx';

const ExportRuns = graphql(`
  query ExportRuns($exportId: ID!) {
    export(id: $exportId) {
      id
      name
      connection {
        canUse
      }
      runs(first: 20) {
        nodes {
          id
          status
          trigger
          startedAt
          finishedAt
          totalProfiles
          exportedCount
          rejectedCount
          skippedCount
        }
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
  query RunDetails($id: ID!) {
    exportRun(id: $id) {
      ...RunFields
      rejects(first: 50) {
        totalCount
        nodes {
          customerId
          reason
          message
        }
      }
    }
  }
`);

graphql(`
  fragment RunFields on ExportRun {
    id
    status
    error
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
          <option value="">Choose an export</option>
          {exports.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </div>
      {data && exports.length === 0 && <p className="empty">No exports yet, so no runs.</p>}
      {runId && <RunDetail runId={runId} onStatus={setShownStatus} />}
      {exportId && <RunList exportId={exportId} selected={runId} selectedStatus={shownStatus} />}
    </>
  );
}

function RunList({
  exportId,
  selected,
  selectedStatus,
}: {
  exportId: string;
  selected: string | null;
  selectedStatus: string;
}) {
  const [{ data, error }, refetch] = useQuery({ query: ExportRuns, variables: { exportId } });
  useEffect(() => {
    if (selectedStatus) refetch({ requestPolicy: 'network-only' });
  }, [selectedStatus, refetch]);
  const runs = data?.export.runs.nodes ?? [];
  return (
    <section aria-label="Runs of this export">
      <h2>Runs of “{data?.export.name ?? '…'}”</h2>
      <ProblemMessage error={error} />
      {data && runs.length === 0 && <p className="empty">This export has not run yet.</p>}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Profiles</th>
                <th scope="col">Exported</th>
                <th scope="col">Rejected</th>
                <th scope="col">Skipped</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} aria-current={r.id === selected ? 'true' : undefined}>
                  <td>
                    <a href={href('runs', { export: exportId, run: r.id })}>
                      {r.startedAt ? when(r.startedAt) : 'not started yet'}
                    </a>
                  </td>
                  <td>{r.trigger === 'ON_DEMAND' ? 'on demand' : 'scheduled'}</td>
                  <td>{statusWords[r.status]}</td>
                  <td>{count(r.totalProfiles)}</td>
                  <td>{count(r.exportedCount)}</td>
                  <td>{count(r.rejectedCount)}</td>
                  <td>{count(r.skippedCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
  const [{ data, error }, refetch] = useQuery({ query: RunDetails, variables: { id: runId } });
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
  return (
    <section className="panel run" aria-label="Run">
      <h2>
        Run: <span data-testid="run-status">{statusWords[run.status]}</span>
      </h2>
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
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Customer id</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {rejects.nodes.map((r) => (
                  <tr key={r.customerId}>
                    <td>{r.customerId}</td>
                    <td>
                      {isSkipReason(r.reason)
                        ? 'Skipped'
                        : retriedReasonWords[r.reason]
                          ? 'Failed, retried'
                          : 'Not sent or failed'}
                    </td>
                    <td>{r.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
