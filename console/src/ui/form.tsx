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

/** What every labelled field has: its input's id, the label, its help and its error; `after` follows them. */
type Framed = { id: string; label: ReactNode; help?: ReactNode; error?: string; after?: ReactNode };

/** A field's text value and its setter. */
type TextValue = { value: string; onChange: (value: string) => void };

/** A control's label above it, then what `note` says, its help and its error (ids `<id>-help`, `<id>-error`). */
function FieldFrame({
  id,
  label,
  help,
  error,
  after,
  note,
  children,
}: Framed & { note?: ReactNode; children: ReactNode }) {
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

/** The props an input, a text area or a select shares: bound to its value, described by its help and error. */
function controlProps({ id, help, error }: Framed, { value, onChange }: TextValue) {
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described || undefined,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
}

/** A labelled text input with its limit (core/input-limits.ts), its help and its error. */
export function TextField({
  value,
  onChange,
  limit,
  id,
  label,
  help,
  error,
  after,
  ...rest
}: Framed &
  TextValue & { limit?: number } & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'>) {
  const frame = { id, label, help, error, after };
  const counter = limit && value.length > limit * 0.8 && (
    <p className="help">
      {value.length} of {limit} characters
    </p>
  );
  return (
    <FieldFrame {...frame} note={counter}>
      <input {...controlProps(frame, { value, onChange })} maxLength={limit} {...rest} />
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
  value,
  onChange,
  rows = 3,
  ...frame
}: Framed & TextValue & { rows?: number }) {
  return (
    <FieldFrame {...frame}>
      <textarea {...controlProps(frame, { value, onChange })} rows={rows} spellCheck={false} />
    </FieldFrame>
  );
}

export type Choice<Value> = { value: Value; label: ReactNode };

/** A labelled drop-down: `placeholder` is the empty choice first. */
export function SelectField({
  value,
  onChange,
  choices,
  placeholder,
  required,
  ...frame
}: Omit<Framed, 'error'> &
  TextValue & { choices: Array<Choice<string>>; placeholder?: string; required?: boolean }) {
  return (
    <FieldFrame {...frame}>
      <select {...controlProps(frame, { value, onChange })} required={required}>
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
