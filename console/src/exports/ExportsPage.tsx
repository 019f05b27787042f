import { useState } from 'react';
import { useClient, useMutation } from 'urql';
import type { PreviewExportQuery } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { skippedExplanation } from '../runs/skip-reasons.ts';
import { href } from '../shell/route.ts';
import { may, useViewer } from '../shell/viewer.ts';
import { ActionButton } from '../ui/ActionButton.tsx';
import { Cards } from '../ui/Cards.tsx';
import { problemOf } from '../ui/errors.ts';
import { count, duration, statusWords } from '../ui/format.ts';
import { Notice } from '../ui/Notice.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { Pager, usePagedQuery } from '../ui/paging.tsx';
import { ExportForm } from './ExportForm.tsx';
import { FieldNames, ListName } from './names.tsx';

const ExportsQuery = graphql(`
  query Exports($after: String) {
    exports(first: 20, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      nodes {
        id
        name
        listId
        enabled
        canEdit
        onLeave
        tags
        excludeAutomations
        resultsTargetId
        connection {
          id
          displayName
          canUse
          removed
        }
        segments {
          id
          name
          memberCount
        }
        mapping {
          email
          firstName
          lastName
          phone
          fields {
            attribute
            fieldId
          }
        }
        lastRun {
          id
          status
          error
        }
      }
    }
  }
`);

const PreviewExport = graphql(`
  query PreviewExport($id: ID!) {
    previewExport(id: $id) {
      totalProfiles
      adds
      updates
      unchanged
      leavers
      rejects
      skipped
      etaSeconds
      rejectSamples {
        customerId
        reason
        message
        field
        value
      }
    }
  }
`);

const RunExport = graphql(`
  mutation RunExport($id: ID!) {
    runExport(id: $id) {
      id
      status
    }
  }
`);

const DeleteExport = graphql(`
  mutation DeleteExport($id: ID!) {
    deleteExport(id: $id)
  }
`);

type Preview = PreviewExportQuery['previewExport'];

const leaverWords: Record<string, string> = {
  KEEP: 'kept on the list',
  UNSUBSCRIBE: 'unsubscribed',
  REMOVE_TAGS: 'lose the export’s tags, stay subscribed',
};

export function ExportsPage() {
  const viewer = useViewer();
  const client = useClient();
  const { data, error, fetching, pages, reload } = usePagedQuery(ExportsQuery);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [previews, setPreviews] = useState<Record<string, Preview | 'loading' | { problem: string }>>({});
  const [run, runExport] = useMutation(RunExport);
  const [removed, deleteExport] = useMutation(DeleteExport);
  const editor = may.editExports(viewer);
  /** What a form leaves: it closes, says what happened, the list is read again, its opener has the focus. */
  const closing = (close: () => void, opener: string) => (message?: string) => {
    close();
    if (message) setNotice(message);
    reload();
    setTimeout(() => document.getElementById(opener)?.focus());
  };

  const preview = async (id: string) => {
    setPreviews((p) => ({ ...p, [id]: 'loading' }));
    const result = await client.query(PreviewExport, { id }, { requestPolicy: 'network-only' }).toPromise();
    setPreviews((p) => ({
      ...p,
      [id]: result.data
        ? result.data.previewExport
        : { problem: result.error ? problemOf(result.error).sentence : '' },
    }));
  };

  return (
    <>
      <p className="lead">
        Segments exported to an ActiveCampaign list, after every scheduled refresh and on demand.
      </p>
      <Notice message={notice} />
      <ProblemMessage error={error ?? run.error ?? removed.error} />
      {editor && !creating && (
        <button id="new-export" type="button" onClick={() => setCreating(true)}>
          New export
        </button>
      )}
      {creating && <ExportForm onDone={closing(() => setCreating(false), 'new-export')} />}
      <Cards items={data?.exports.nodes ?? []} loaded={!fetching} empty="No exports yet.">
        {(e) => {
          const p = previews[e.id];
          const stranded = e.connection.removed;
          const canRun = e.canEdit && e.connection.canUse;
          if (editing === e.id)
            return (
              <li key={e.id}>
                <ExportForm existing={e} onDone={closing(() => setEditing(null), `edit-${e.id}`)} />
              </li>
            );
          return (
            <li key={e.id} className={stranded ? 'card stopped' : 'card'} aria-label={e.name}>
              <h2>{e.name}</h2>
              {stranded ? (
                <p className="problem" data-testid="export-state">
                  Stopped: connection removed
                </p>
              ) : (
                !e.enabled && (
                  <p className="muted" data-testid="export-state">
                    Disabled: it does not run
                  </p>
                )
              )}
              {stranded && (
                <p className="help">
                  Its connection “{e.connection.displayName}” was removed, so it cannot run.{' '}
                  {e.canEdit
                    ? 'Point it at another connection, or delete it.'
                    : 'Someone who may edit it (an administrator) can point it at another connection or delete it.'}
                </p>
              )}
              <dl>
                <dt>Connection</dt>
                <dd>
                  {e.connection.displayName}
                  {stranded && ' (removed)'}
                </dd>
                <dt>List</dt>
                <dd>
                  <ListName connectionId={e.connection.id} listId={e.listId} usable={e.connection.canUse} />
                </dd>
                <dt>Segments</dt>
                <dd>{e.segments.map((s) => `${s.name} (${count(s.memberCount)})`).join(', ')}</dd>
                <dt>Data matching</dt>
                <dd>
                  email ← {e.mapping.email}
                  {e.mapping.firstName && `, first name ← ${e.mapping.firstName}`}
                  {e.mapping.lastName && `, last name ← ${e.mapping.lastName}`}
                  {e.mapping.phone && `, phone ← ${e.mapping.phone}`}
                  <FieldNames
                    connectionId={e.connection.id}
                    usable={e.connection.canUse}
                    fields={e.mapping.fields}
                  />
                </dd>
                <dt>Leavers</dt>
                <dd>{leaverWords[e.onLeave]}</dd>
                <dt>Tags</dt>
                <dd>{e.tags.length ? e.tags.join(', ') : 'none'}</dd>
                <dt>Automations</dt>
                <dd>{e.excludeAutomations ? 'not started by its imports' : 'started as usual'}</dd>
                <dt>Last run</dt>
                <dd>
                  {e.lastRun ? (
                    <a href={href('runs', { export: e.id, run: e.lastRun.id })}>
                      {statusWords[e.lastRun.status]}
                    </a>
                  ) : (
                    'never run'
                  )}
                  {e.lastRun?.error && (
                    <span className="problem" data-testid="last-run-error">
                      {' '}
                      — {e.lastRun.error}
                    </span>
                  )}
                </dd>
              </dl>
              <div className="actions">
                {!stranded && (
                  <button type="button" onClick={() => preview(e.id)} disabled={p === 'loading'}>
                    Preview
                  </button>
                )}
                {e.canEdit && (
                  <button id={`edit-${e.id}`} type="button" onClick={() => setEditing(e.id)}>
                    {stranded ? 'Point at another connection' : 'Edit'}
                  </button>
                )}
                {canRun && (
                  <ActionButton
                    run={() => runExport({ id: e.id })}
                    onDone={(d) => {
                      location.hash = href('runs', { export: e.id, run: d.runExport.id });
                    }}
                  >
                    Run now
                  </ActionButton>
                )}
                <a href={href('runs', { export: e.id })}>Runs</a>
                {e.canEdit && (
                  <ActionButton
                    danger
                    confirmation={`Delete the export “${e.name}”? Its runs stop; contacts stay on the list.`}
                    run={() => deleteExport({ id: e.id })}
                    onDone={reload}
                  >
                    Delete
                  </ActionButton>
                )}
              </div>
              {p === 'loading' && (
                <p role="status" className="muted">
                  Computing the dry run…
                </p>
              )}
              {p && p !== 'loading' && 'problem' in p && (
                <p role="alert" className="problem">
                  {p.problem}
                </p>
              )}
              {p && p !== 'loading' && 'adds' in p && <PreviewResult preview={p} />}
            </li>
          );
        }}
      </Cards>
      <Pager label="exports" pages={pages} of={data?.exports} />
    </>
  );
}

function PreviewResult({ preview: p }: { preview: Preview }) {
  return (
    <section className="preview" aria-label="Dry run">
      <h3>Dry run: a run started now would</h3>
      <dl className="counts">
        <dt>Add</dt>
        <dd data-count="adds">{count(p.adds)}</dd>
        <dt>Update</dt>
        <dd data-count="updates">{count(p.updates)}</dd>
        <dt>Leave unchanged</dt>
        <dd data-count="unchanged">{count(p.unchanged)}</dd>
        <dt>Handle leavers</dt>
        <dd data-count="leavers">{count(p.leavers)}</dd>
        <dt>Reject</dt>
        <dd data-count="rejects">{count(p.rejects)}</dd>
        <dt>Skip (refused for good earlier)</dt>
        <dd data-count="skipped">{count(p.skipped)}</dd>
        <dt>Take about</dt>
        <dd>{duration(p.etaSeconds)}</dd>
      </dl>
      {p.skipped > 0 && (
        <p className="help">
          Skipped, of the unchanged: {skippedExplanation} The last run’s rejects name each one’s reason.
        </p>
      )}
      {p.rejectSamples.length > 0 && (
        <ul className="rejects">
          {p.rejectSamples.map((r) => (
            <li key={r.customerId}>
              {r.customerId}: {r.message}
              {r.field && ` (${r.field}${r.value != null ? `: “${r.value}”` : ''})`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
