import type { FormEvent, ReactNode } from 'react';
import { GeneralProblem } from './form.tsx';

/**
 * A page's form for a new item or the one it edits: its title as name and heading, the fields, the error
 * that belongs to no field, Save and Cancel, and what saving does (`footnote`).
 */
export function EditorForm({
  title,
  heading: Heading = 'h2',
  onSubmit,
  onCancel,
  saveLabel,
  saving,
  problem,
  footnote,
  children,
}: {
  title: string;
  heading?: 'h2' | 'h3';
  onSubmit: () => void;
  onCancel: () => void;
  saveLabel: string;
  saving: boolean;
  problem?: string;
  footnote?: string;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="panel" onSubmit={submit} aria-label={title}>
      <Heading>{title}</Heading>
      {children}
      <GeneralProblem sentence={problem} />
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saveLabel}
        </button>
        <button type="button" onClick={() => onCancel()}>
          Cancel
        </button>
      </div>
      {footnote && <p className="help">{footnote}</p>}
    </form>
  );
}
