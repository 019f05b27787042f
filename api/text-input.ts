import { inputLimits } from '../core/input-limits.ts';
import { isStorableText } from '../core/storable-text.ts';
import { badInput } from './errors.ts';

/**
 * Free text as typed: refused with BAD_USER_INPUT naming the field before anything is stored or sent.
 * Postgres cannot store a NUL, and it would store a lone UTF-16 surrogate as U+FFFD without a word.
 */
export function storableText(field: string, value: string): string {
  if (!isStorableText(value)) {
    throw badInput(field, `The ${field} must not contain NUL characters or unpaired UTF-16 surrogates.`);
  }
  return value;
}

/** Line breaks, tabs, NUL and the other control characters, and the marks that reverse text direction. */
const controlCharacters = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/**
 * A name (of an export, connection, segment, source, channel, token): storable text on one line. A line
 * break or a direction mark in a name would forge lines or disguise text in alerts, logs and the console.
 */
export function nameText(field: string, value: string): string {
  storableText(field, value);
  if (controlCharacters.test(value)) {
    throw badInput(
      field,
      `The ${field} must be one line without control characters (line breaks, tabs, NUL) or direction marks.`,
    );
  }
  return value;
}

/** A name, trimmed, of 1 to its limit's characters (core/input-limits.ts: the console's fields read it too). */
export function checkedName(field: string, value: string, limit: keyof typeof inputLimits): string {
  const trimmed = nameText(field, value.trim());
  const max = inputLimits[limit];
  if (!trimmed || trimmed.length > max) throw badInput(field, `Enter a name of 1 to ${max} characters.`);
  return trimmed;
}
