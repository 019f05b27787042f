import type { ReactNode } from 'react';
import type { OperationResult } from 'urql';

/**
 * A button that runs a mutation, once `confirmation` (if any) is confirmed; `onDone` gets the data when it
 * succeeded. Its error is the mutation's state, shown by the page.
 */
export function ActionButton<Data>({
  run,
  onDone,
  confirmation,
  danger = false,
  disabled,
  id,
  children,
}: {
  run: () => Promise<OperationResult<Data>>;
  onDone?: (data: Data) => void;
  confirmation?: string;
  danger?: boolean;
  disabled?: boolean;
  id?: string;
  children: ReactNode;
}) {
  return (
    <button
      id={id}
      type="button"
      className={danger ? 'danger' : undefined}
      disabled={disabled}
      onClick={async () => {
        if (confirmation && !confirm(confirmation)) return;
        const result = await run();
        if (!result.error && result.data) onDone?.(result.data);
      }}
    >
      {children}
    </button>
  );
}
