import type { CombinedError } from 'urql';
import { problemOf } from './errors.ts';

/** An API error in words, announced to screen readers. */
export function ProblemMessage({ error }: { error?: CombinedError | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="problem">
      {problemOf(error).sentence}
    </p>
  );
}
