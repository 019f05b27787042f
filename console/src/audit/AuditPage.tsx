import { useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { adminsOnly, may, useViewer } from '../shell/viewer.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { when } from '../ui/format.ts';
import { ProblemMessage } from '../ui/Problem.tsx';
import { Pager, useCursorPages } from '../ui/paging.tsx';
import { eventLabels, subjectWords } from './event-labels.ts';

const Audit = graphql(`
  query AuditLog($after: String) {
    auditEvents(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
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

export function AuditPage() {
  const viewer = useViewer();
  if (!may.administer(viewer)) return <p className="help">{adminsOnly}</p>;
  return <AuditLog />;
}

function AuditLog() {
  const pages = useCursorPages();
  const [{ data, error }] = useQuery({ query: Audit, variables: { after: pages.after } });
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
  const events = data?.auditEvents;
  return (
    <>
      <p className="lead">Who changed what, newest first.</p>
      <ProblemMessage error={error} />
      <DataTable
        label="Audit events"
        rows={events?.nodes}
        rowKey={(e) => e.id}
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
      <Pager label="the audit log" pages={pages} of={events} />
    </>
  );
}
