import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { adminsOnly, may, useViewer } from '../shell/viewer.ts';
import { ProblemMessage } from '../ui/Problem.tsx';
import { AlertRules } from './AlertRules.tsx';
import { Channels } from './Channels.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';

const AlertsQuery = graphql(`
  query Alerts {
    notificationChannels {
      id
      name
      kind
      emailTo
      urlMasked
    }
    alertRules {
      id
      event
      channelId
      exportId
      thresholdPercent
      thresholdMinutes
    }
    exports(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`);

export function AlertsPage() {
  const viewer = useViewer();
  if (!may.administer(viewer)) return <p className="help">{adminsOnly}</p>;
  return <Alerts />;
}

function Alerts() {
  const [{ data, error }, refetch] = useQuery({ query: AlertsQuery });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <p className="lead">Who is told when a run fails, slows down or sends far fewer or more contacts.</p>
      <ProblemMessage error={error} />
      {data && (
        <>
          <Channels channels={data.notificationChannels} onChange={reload} />
          <AlertRules
            rules={data.alertRules}
            channels={data.notificationChannels}
            exports={data.exports.nodes}
            onChange={reload}
          />
        </>
      )}
      <DeliveryLog />
    </>
  );
}
