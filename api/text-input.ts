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

/** A name, trimmed, of 1 to its limit's characters (core/input-limits.ts: the console's fields read it too). */
export function checkedName(field: string, value: string, limit: keyof typeof inputLimits): string {
  const trimmed = storableText(field, value.trim());
  const max = inputLimits[limit];
  if (!trimmed || trimmed.length > max) throw badInput(field, `Enter a name of 1 to ${max} characters.`);
  return trimmed;
}
