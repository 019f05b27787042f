import { useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { ProblemMessage } from '../ui/Problem.tsx';

const TriggerRefresh = graphql(`
  mutation TriggerRefresh {
    triggerRefresh
  }
`);

/** "Refresh now": the scheduled refresh of every segment (and the exports after it), started at once. */
export function RefreshNow({ label = 'Refresh all segments now' }: { label?: string }) {
  const [started, trigger] = useMutation(TriggerRefresh);
  return (
    <div className="refresh-now">
      <button type="button" disabled={started.fetching} onClick={() => trigger({})}>
        {label}
      </button>
      <ProblemMessage error={started.error} />
      {started.data && (
        <p role="status" className="notice">
          {started.data.triggerRefresh
            ? 'Refresh started: every segment is refreshed, then the exports run.'
            : 'A refresh is already running: it picks up these changes if they came before it read the profiles.'}
        </p>
      )}
    </div>
  );
}
