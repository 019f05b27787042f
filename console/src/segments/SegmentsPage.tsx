import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { may, useViewer } from '../shell/viewer.ts';
import { count, when } from '../ui/format.ts';
import { Notice } from '../ui/Notice.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { Pager, useCursorPages } from '../ui/paging.tsx';
import { useEditing } from '../ui/use-editing.ts';
import { RefreshNow } from './RefreshNow.tsx';
import { describeRule } from './rule.ts';
import { type EditedSegment, SegmentForm } from './SegmentForm.tsx';

const SegmentsQuery = graphql(`
  query Segments($after: String) {
    segments(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        rule
        isStatic
        memberCount
        refreshedAt
      }
    }
  }
`);

const RefreshSegment = graphql(`
  mutation RefreshSegment($id: ID!) {
    refreshSegment(id: $id) {
      id
      memberCount
      refreshedAt
    }
  }
`);

const DeleteSegment = graphql(`
  mutation DeleteSegment($id: ID!) {
    deleteSegment(id: $id)
  }
`);

export function SegmentsPage() {
  const viewer = useViewer();
  const pages = useCursorPages();
  const [{ data, error }, refetch] = useQuery({ query: SegmentsQuery, variables: { after: pages.after } });
  const [refreshed, refreshSegment] = useMutation(RefreshSegment);
  const [deleted, deleteSegment] = useMutation(DeleteSegment);
  const { editing, notice, setNotice, open, close } = useEditing<EditedSegment>('new-segment');
  const editor = may.editSegments(viewer);
  const segments = data?.segments.nodes;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const done = (message?: string) => {
    close(message);
    reload();
  };
  return (
    <>
      <p className="lead">
        Who an export sends: profiles meeting a rule, counted again at every scheduled refresh.
      </p>
      <Notice message={notice} />
      <ProblemMessage error={error ?? refreshed.error ?? deleted.error} />
      {editor && !editing && (
        <div className="actions">
          <button id="new-segment" type="button" onClick={() => open('new')}>
            New segment
          </button>
          <RefreshNow />
        </div>
      )}
      {!editor && <p className="help">Viewers see segments; contributors and administrators change them.</p>}
      {editing && <SegmentForm segment={editing === 'new' ? undefined : editing} onDone={done} />}
      {segments && segments.length === 0 && <p className="empty">No segments yet.</p>}
      <ul className="cards">
        {(segments ?? []).map((s) => (
          <li key={s.id} className="card" aria-label={s.name}>
            <h2>{s.name}</h2>
            <dl>
              <dt>Rule</dt>
              <dd>{describeRule(s.rule)}</dd>
              <dt>Members</dt>
              <dd data-testid="member-count">{count(s.memberCount)}</dd>
              <dt>Last refresh</dt>
              <dd>{when(s.refreshedAt)}</dd>
            </dl>
            {s.memberCount === 0 && <p className="warning">No members: exports of it send nobody.</p>}
            {editor && (
              <div className="actions">
                <button
                  id={`edit-${s.id}`}
                  type="button"
                  onClick={() => open({ id: s.id, name: s.name, rule: s.rule })}
                >
                  Edit {s.name}
                </button>
                <button
                  type="button"
                  disabled={refreshed.fetching}
                  onClick={async () => {
                    const result = await refreshSegment({ id: s.id });
                    if (result.data)
                      setNotice(
                        `“${s.name}” refreshed: ${count(result.data.refreshSegment.memberCount)} members.`,
                      );
                  }}
                >
                  Refresh {s.name} now
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={async () => {
                    if (!confirm(`Delete the segment “${s.name}”?`)) return;
                    const result = await deleteSegment({ id: s.id });
                    if (!result.error) {
                      setNotice(`Segment “${s.name}” deleted.`);
                      reload();
                    }
                  }}
                >
                  Delete {s.name}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <Pager label="segments" pages={pages} of={data?.segments} />
    </>
  );
}
