import { graphql } from '../gql/index.ts';
import { when } from '../ui/format.ts';
import { PagedTable } from '../ui/PagedTable.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { usePagedQuery } from '../ui/paging.tsx';

const Deliveries = graphql(`
  query NotificationDeliveries($after: String) {
    notificationDeliveries(first: 25, after: $after) {
      pageInfo {
        ...PageCursor
      }
      nodes {
        id
        createdAt
        status
        attempts
        lastError
      }
    }
  }
`);

const statusWords: Record<string, string> = { PENDING: 'Waiting', SENT: 'Sent', FAILED: 'Failed, retried' };

export function DeliveryLog() {
  const { data, error, pages } = usePagedQuery(Deliveries);
  return (
    <section className="panel" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Delivery log</h2>
      <ProblemMessage error={error} />
      <PagedTable
        label="Alert deliveries"
        pagerLabel="deliveries"
        page={data?.notificationDeliveries}
        pages={pages}
        empty="No alert sent yet."
        columns={[
          { title: 'When', cell: (d) => when(d.createdAt) },
          { title: 'Status', cell: (d) => statusWords[d.status] ?? d.status },
          { title: 'Attempts', cell: (d) => d.attempts },
          { title: 'Last error', cell: (d) => d.lastError ?? '—' },
        ]}
      />
    </section>
  );
}
