import { type InputHTMLAttributes, type ReactNode, useEffect, useState } from 'react';
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

type TextKeys<Values> = { [Key in keyof Values]: Values[Key] extends string ? Key : never }[keyof Values];

/**
 * A form's values (from `initial`) with a setter for each, the API's error about them (`useFormProblem`;
 * `idOfField`: the API's field name → its input's id), and `text(key)`: the props binding a text input to
 * the value the API names `key`, its id and its error.
 */
export function useForm<Values extends Record<string, unknown>>(
  initial: Values,
  idOfField: Record<string, string>,
  error: CombinedError | undefined | null,
) {
  const [values, setValues] = useState(initial);
  const set =
    <Key extends keyof Values>(key: Key) =>
    (value: Values[Key]) =>
      setValues((current) => ({ ...current, [key]: value }));
  const problem = useFormProblem(error, idOfField);
  const text = (key: TextKeys<Values> & string) => {
    const id = idOfField[key] ?? key;
    return { id, value: values[key] as string, onChange: set(key), error: problem.of(id) };
  };
  return { values, set, problem, text };
}

/** The ids a control's `aria-describedby` names: its help and its error, when it has them. */
function describedBy(id: string, help?: ReactNode, error?: string) {
  return [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** A control's label above it, then what `note` says, its help and its error (ids `<id>-help`, `<id>-error`). */
function FieldFrame({
  id,
  label,
  help,
  error,
  note,
  after,
  children,
}: {
  id: string;
  label: ReactNode;
  help?: ReactNode;
  error?: string;
  note?: ReactNode;
  after?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {note}
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
      {after}
    </div>
  );
}

/** A labelled text input with its limit (core/input-limits.ts), its help and its error; `after` follows them. */
export function TextField({
  id,
  label,
  value,
  onChange,
  limit,
  help,
  error,
  after,
  ...rest
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  limit?: number;
  help?: ReactNode;
  error?: string;
  after?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'>) {
  const counter = limit && value.length > limit * 0.8 && (
    <p className="help">
      {value.length} of {limit} characters
    </p>
  );
  return (
    <FieldFrame id={id} label={label} help={help} error={error} note={counter} after={after}>
      <input
        id={id}
        value={value}
        maxLength={limit}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
      />
    </FieldFrame>
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
  return (
    <FieldFrame id={id} label={label} help={help} error={error}>
      <textarea
        id={id}
        rows={rows}
        spellCheck={false}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(e) => onChange(e.target.value)}
      />
    </FieldFrame>
  );
}

export type Choice<Value> = { value: Value; label: ReactNode };

/** A labelled drop-down: `placeholder` is the empty choice first; `after` follows the help. */
export function SelectField({
  id,
  label,
  value,
  onChange,
  choices,
  placeholder,
  help,
  after,
  required,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  choices: Array<Choice<string>>;
  placeholder?: string;
  help?: ReactNode;
  after?: ReactNode;
  required?: boolean;
}) {
  return (
    <FieldFrame id={id} label={label} help={help} after={after}>
      <select
        id={id}
        required={required}
        value={value}
        aria-describedby={describedBy(id, help)}
        onChange={(e) => onChange(e.target.value)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** One choice of several, as radio buttons under a legend; `children` follow them in the fieldset. */
export function RadioGroup<Value extends string | boolean>({
  legend,
  name,
  value,
  onChange,
  choices,
  children,
}: {
  legend: string;
  name: string;
  value: Value;
  onChange: (value: Value) => void;
  choices: Array<Choice<Value>>;
  children?: ReactNode;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {choices.map((c) => (
        <label key={String(c.value)}>
          <input type="radio" name={name} checked={value === c.value} onChange={() => onChange(c.value)} />
          {c.label}
        </label>
      ))}
      {children}
    </fieldset>
  );
}

/** A labelled checkbox in its own field, with its help (`helpId`) when it has one. */
export function CheckboxField({
  label,
  checked,
  onChange,
  help,
  helpId,
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  help?: ReactNode;
  helpId?: string;
}) {
  return (
    <div className="field">
      <label>
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={help ? helpId : undefined}
        />
        {label}
      </label>
      {help && (
        <p id={helpId} className="help">
          {help}
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
