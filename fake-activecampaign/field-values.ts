import type { Field } from './types.ts';

/** The custom field types ActiveCampaign has; the last four offer options. */
export const fieldTypes = [
  'text',
  'textarea',
  'date',
  'datetime',
  'hidden',
  'dropdown',
  'radio',
  'listbox',
  'checkbox',
] as const;

const singleChoice = new Set(['dropdown', 'radio']);
const multiChoice = new Set(['listbox', 'checkbox']);

export function hasOptions(type: string): boolean {
  return singleChoice.has(type) || multiChoice.has(type);
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

function isCalendarDate(value: string): boolean {
  const match = datePattern.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** `||a||b||` (or one bare option): the options chosen. */
function choices(value: string): string[] {
  if (!value.startsWith('||')) return [value];
  if (!value.endsWith('||') || value.length < 4) return [''];
  return value.slice(2, -2).split('||');
}

/**
 * Why ActiveCampaign refuses this value for the field, or undefined when it takes it. An empty value
 * clears the field and is always taken.
 */
export function fieldValueProblem(field: Field, value: string): string | undefined {
  if (value === '') return undefined;
  const problem = (what: string) => `Field ${field.id} (${field.title}): ${what}`;
  if (field.type === 'date' && !isCalendarDate(value)) return problem('expected a date as YYYY-MM-DD');
  if (field.type === 'datetime') {
    const match = dateTimePattern.exec(value);
    if (!match?.[1] || !isCalendarDate(match[1]) || Number.isNaN(Date.parse(value))) {
      return problem('expected an ISO 8601 date and time');
    }
  }
  if (singleChoice.has(field.type) && !field.options.includes(value)) {
    return problem('the value is not one of the field’s options');
  }
  if (multiChoice.has(field.type) && !choices(value).every((c) => field.options.includes(c))) {
    return problem('a value is not one of the field’s options (several are written ||a||b||)');
  }
  return undefined;
}
