import { useState } from 'react';

/**
 * Which item a page's form edits ('new' for a new one, null when closed), and the notice the last save
 * left. Closing the form returns the focus to the button that opened it (`newId`, or `edit-<id>`), then
 * calls `onClose` (a reload of the page's items).
 */
export function useEditing<Item extends { id: string }>(newId: string, onClose?: () => void) {
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  return {
    editing,
    /** The item the form edits, undefined for a new one. */
    item: editing === 'new' ? undefined : (editing ?? undefined),
    notice,
    setNotice,
    open: (item: Item | 'new') => {
      setNotice('');
      setEditing(item);
    },
    /** Closes the form, with what happened if it saved. */
    close: (message?: string) => {
      const opener = editing === 'new' ? newId : editing ? `edit-${editing.id}` : '';
      setEditing(null);
      if (message) setNotice(message);
      setTimeout(() => document.getElementById(opener)?.focus());
      onClose?.();
    },
  };
}
