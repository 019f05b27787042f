import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { when } from '../ui/format.ts';
import { ProblemMessage } from '../ui/Problem.tsx';
import { Pager, useCursorPages } from '../ui/paging.tsx';

const Deliveries = graphql(`
  query NotificationDeliveries($after: String) {
    notificationDeliveries(first: 25, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
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
  const pages = useCursorPages();
  const [{ data, error }] = useQuery({ query: Deliveries, variables: { after: pages.after } });
  return (
    <section className="panel" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Delivery log</h2>
      <ProblemMessage error={error} />
      <DataTable
        label="Alert deliveries"
        rows={data?.notificationDeliveries.nodes}
        rowKey={(d) => d.id}
        empty="No alert sent yet."
        columns={[
          { title: 'When', cell: (d) => when(d.createdAt) },
          { title: 'Status', cell: (d) => statusWords[d.status] ?? d.status },
          { title: 'Attempts', cell: (d) => d.attempts },
          { title: 'Last error', cell: (d) => d.lastError ?? '—' },
        ]}
      />
      <Pager label="deliveries" pages={pages} of={data?.notificationDeliveries} />
    </section>
  );
}
