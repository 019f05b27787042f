import { useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { may, useViewer } from '../shell/viewer.ts';
import { ActionButton } from '../ui/ActionButton.tsx';
import { Card, Cards } from '../ui/Cards.tsx';
import { count, when } from '../ui/format.ts';
import { Notice } from '../ui/Notice.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { Pager, usePagedQuery } from '../ui/paging.tsx';
import { useEditing } from '../ui/use-editing.ts';
import { RefreshNow } from './RefreshNow.tsx';
import { describeRule } from './rule.ts';
import { type EditedSegment, SegmentForm } from './SegmentForm.tsx';

/** A segment as its card shows it; its form's and its refresh's answers bring the same fields. */
export const SegmentFields = graphql(`
  fragment SegmentFields on Segment {
    id
    name
    rule
    isStatic
    memberCount
    refreshedAt
  }
`);

const SegmentsQuery = graphql(`
  query Segments($after: String) {
    segments(first: 20, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      nodes {
        ...SegmentFields
      }
    }
  }
`);

const RefreshSegment = graphql(`
  mutation RefreshSegment($id: ID!) {
    refreshSegment(id: $id) {
      ...SegmentFields
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
  const { data, error, pages, reload } = usePagedQuery(SegmentsQuery);
  const [refreshed, refreshSegment] = useMutation(RefreshSegment);
  const [deleted, deleteSegment] = useMutation(DeleteSegment);
  const form = useEditing<EditedSegment>('new-segment', reload);
  const editor = may.editSegments(viewer);
  return (
    <>
      <p className="lead">
        Who an export sends: profiles meeting a rule, counted again at every scheduled refresh.
      </p>
      <Notice message={form.notice} />
      <ProblemMessage error={error ?? refreshed.error ?? deleted.error} />
      {editor && !form.editing && (
        <div className="actions">
          <button id="new-segment" type="button" onClick={() => form.open('new')}>
            New segment
          </button>
          <RefreshNow />
        </div>
      )}
      {!editor && <p className="help">Viewers see segments; contributors and administrators change them.</p>}
      {form.editing && <SegmentForm segment={form.item} onDone={form.close} />}
      <Cards items={data?.segments.nodes ?? []} loaded={Boolean(data)} empty="No segments yet.">
        {(s) => (
          <Card key={s.id} name={s.name}>
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
                  onClick={() => form.open({ id: s.id, name: s.name, rule: s.rule })}
                >
                  Edit {s.name}
                </button>
                <ActionButton
                  disabled={refreshed.fetching}
                  run={() => refreshSegment({ id: s.id })}
                  onDone={(d) =>
                    form.setNotice(`“${s.name}” refreshed: ${count(d.refreshSegment.memberCount)} members.`)
                  }
                >
                  Refresh {s.name} now
                </ActionButton>
                <ActionButton
                  danger
                  confirmation={`Delete the segment “${s.name}”?`}
                  run={() => deleteSegment({ id: s.id })}
                  onDone={() => {
                    form.setNotice(`Segment “${s.name}” deleted.`);
                    reload();
                  }}
                >
                  Delete {s.name}
                </ActionButton>
              </div>
            )}
          </Card>
        )}
      </Cards>
      <Pager label="segments" pages={pages} of={data?.segments} />
    </>
  );
}
