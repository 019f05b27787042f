import type { CombinedError } from 'urql';
import { ProblemMessage } from './Problem.tsx';

/** The connection's ActiveCampaign account could not be read: why, in words, and what to do. */
export function AccountUnreadable({ error, what }: { error: CombinedError; what: string }) {
  return (
    <>
      <ProblemMessage error={error} />
      <p className="help">
        The account’s {what} cannot be read just now: check the connection (Connections › Edit) and try again.
      </p>
    </>
  );
}
