import { useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { when } from '../ui/format.ts';
import { PagedTable } from '../ui/PagedTable.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { usePagedQuery } from '../ui/paging.tsx';
import { eventLabels, subjectWords } from './event-labels.ts';

const Audit = graphql(`
  query AuditLog($after: String) {
    auditEvents(first: 50, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      nodes {
        id
        action
        actorEmail
        subjectType
        subjectId
        createdAt
      }
    }
  }
`);

const SubjectNames = graphql(`
  query AuditSubjectNames {
    connections(first: 100) {
      nodes {
        id
        displayName
      }
    }
    exports(first: 100) {
      nodes {
        id
        name
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
    users(includeRemoved: true) {
      id
      email
    }
    sources {
      id
      name
    }
    notificationChannels {
      id
      name
    }
  }
`);

/** Administrators only (shell/PageBody.tsx). */
export function AuditPage() {
  const { data, error, pages } = usePagedQuery(Audit);
  const [names] = useQuery({ query: SubjectNames });
  const nameOf = useMemo(() => {
    const d = names.data;
    const entries: Array<[string, string]> = [
      ...(d?.connections.nodes ?? []).map((c): [string, string] => [c.id, c.displayName]),
      ...(d?.exports.nodes ?? []).map((e): [string, string] => [e.id, e.name]),
      ...(d?.segments.nodes ?? []).map((s): [string, string] => [s.id, s.name]),
      ...(d?.users ?? []).map((u): [string, string] => [u.id, u.email]),
      ...(d?.sources ?? []).map((s): [string, string] => [s.id, s.name]),
      ...(d?.notificationChannels ?? []).map((c): [string, string] => [c.id, c.name]),
    ];
    return new Map(entries);
  }, [names.data]);
  return (
    <>
      <p className="lead">Who changed what, newest first.</p>
      <ProblemMessage error={error} />
      <PagedTable
        label="Audit events"
        pagerLabel="the audit log"
        page={data?.auditEvents}
        pages={pages}
        empty="Nothing recorded yet."
        columns={[
          { title: 'When', cell: (e) => when(e.createdAt) },
          { title: 'Who', cell: (e) => e.actorEmail ?? 'Outbound itself' },
          { title: 'What', cell: (e) => eventLabels[e.action] ?? e.action },
          {
            title: 'Subject',
            cell: (e) => {
              const name = nameOf.get(e.subjectId);
              const kind = subjectWords[e.subjectType] ?? e.subjectType;
              return name ? (
                <>
                  {kind} <strong>{name}</strong>
                </>
              ) : (
                <>
                  {kind}{' '}
                  <span className="muted" title={e.subjectId}>
                    (no longer listed)
                  </span>
                </>
              );
            },
          },
        ]}
      />
    </>
  );
}
