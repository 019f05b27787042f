import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { CombinedError } from 'urql';
import { ProblemMessage } from './Problem.tsx';

/**
 * A modal question before something that cannot be undone: what happens, in words, then Cancel (focused
 * first) and the action. Escape cancels; the focus stays inside while it is open and goes back to what opened
 * it, or to the page's heading when that is gone (the row it was on was removed).
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: CombinedError | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();
  // Read while rendering, before the dialog takes the focus.
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    cancel.current?.focus();
    return () => {
      element?.close();
      setTimeout(() => {
        const back = opener?.isConnected ? opener : document.querySelector<HTMLElement>('main h1');
        back?.focus();
      });
    };
  }, [opener]);
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={textId}>{children}</div>
      <ProblemMessage error={error} />
      <div className="actions">
        <button ref={cancel} type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
