import { graphql } from '../gql/index.ts';
import { ProblemMessage } from '../ui/Problem.tsx';
import { useReloadableQuery } from '../ui/use-reloadable-query.ts';
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

/** Administrators only (shell/PageBody.tsx). */
export function AlertsPage() {
  const { data, error, reload } = useReloadableQuery(AlertsQuery);
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
