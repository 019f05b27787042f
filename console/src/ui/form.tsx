import { type InputHTMLAttributes, type ReactNode, useEffect } from 'react';
import type { CombinedError } from 'urql';
import { problemOf } from './errors.ts';

/**
 * A form's API error: the field it names (BAD_USER_INPUT's `field`) gets the message beside it and the
 * focus; any other error is shown by the form's Save button.
 */
export function useFormProblem(error: CombinedError | undefined | null, idOfField: Record<string, string>) {
  const problem = error ? problemOf(error) : undefined;
  const field = problem?.field;
  const fieldId = field ? (idOfField[field] ?? idOfField[field.split(/[.[]/)[0] ?? '']) : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new error moves the focus again
  useEffect(() => {
    if (fieldId) document.getElementById(fieldId)?.focus();
  }, [fieldId, error]);
  return {
    /** The message for this input, if the error is about it. */
    of: (id: string) => (fieldId === id ? problem?.sentence : undefined),
    /** The message when it belongs to no field. */
    general: problem && !fieldId ? problem.sentence : undefined,
  };
}

/** A labelled text input with its limit (core/input-limits.ts), its help and its error. */
export function TextField({
  id,
  label,
  value,
  onChange,
  limit,
  help,
  error,
  ...rest
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  limit?: number;
  help?: ReactNode;
  error?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'>) {
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        maxLength={limit}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
      />
      {limit && value.length > limit * 0.8 && (
        <p className="help">
          {value.length} of {limit} characters
        </p>
      )}
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="problem">
          {error}
        </p>
      )}
    </div>
  );
}

export function GeneralProblem({ sentence }: { sentence?: string }) {
  if (!sentence) return null;
  return (
    <p role="alert" className="problem">
      {sentence}
    </p>
  );
}

/** A labelled multi-line input (SQL, JSON) with its help and its error. */
export function TextAreaField({
  id,
  label,
  value,
  onChange,
  help,
  error,
  rows = 3,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  help?: ReactNode;
  error?: string;
  rows?: number;
}) {
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        spellCheck={false}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="problem">
          {error}
        </p>
      )}
    </div>
  );
}

/** The API's error about one field the form draws itself (a select, a group of boxes), beside it. */
export function FieldProblem({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="problem">
      {message}
    </p>
  );
}
