/** The custom field types Outbound can fill, as ActiveCampaign names them. */
export const fillableFieldTypes = [
  'text',
  'textarea',
  'hidden',
  'date',
  'datetime',
  'dropdown',
  'radio',
  'listbox',
  'checkbox',
] as const;

export type FieldType = (typeof fillableFieldTypes)[number];

export function isFillableFieldType(type: string): type is FieldType {
  return (fillableFieldTypes as readonly string[]).includes(type);
}

/** What an export knows of a mapped field; untyped (saved before types were known) is sent as text. */
export type TypedField = { type?: string; options?: string[] };

/** A value ActiveCampaign takes, nothing to send (empty), or one it would refuse. */
export type FieldValue = { value: string } | { empty: true } | { notAllowed: true };

const empty: FieldValue = { empty: true };
const notAllowed: FieldValue = { notAllowed: true };

function plainText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((v) => String(v)).join('||');
  const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return s === '' ? undefined : s;
}

function asDate(value: unknown): Date | undefined {
  const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function choices(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v)).filter((v) => v !== '');
  const s = String(value);
  if (s.startsWith('||') && s.endsWith('||'))
    return s
      .slice(2, -2)
      .split('||')
      .filter((v) => v !== '');
  return [s];
}

/**
 * A profile attribute as ActiveCampaign expects it in a field of this type: date `YYYY-MM-DD`, datetime
 * ISO 8601 (UTC), dropdown/radio one of the options, listbox/checkbox `||a||b||` of options, numbers as
 * plain strings (no locale). A date that cannot be read, or a value outside the options, is not allowed.
 */
export function formatFieldValue(field: TypedField, raw: unknown): FieldValue {
  if (raw === null || raw === undefined || raw === '') return empty;
  if (Array.isArray(raw) && raw.length === 0) return empty;
  const options = field.options ?? [];
  switch (field.type) {
    case 'date': {
      if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw)) {
        return asDate(`${raw}T00:00:00Z`)?.toISOString().startsWith(raw) ? { value: raw } : notAllowed;
      }
      const date = asDate(raw);
      return date ? { value: date.toISOString().slice(0, 10) } : notAllowed;
    }
    case 'datetime': {
      const date = asDate(raw);
      return date ? { value: date.toISOString() } : notAllowed;
    }
    case 'dropdown':
    case 'radio': {
      const value = String(raw);
      return options.includes(value) ? { value } : notAllowed;
    }
    case 'listbox':
    case 'checkbox': {
      const chosen = choices(raw);
      if (!chosen.length) return empty;
      return chosen.every((c) => options.includes(c)) ? { value: `||${chosen.join('||')}||` } : notAllowed;
    }
    default: {
      const value = plainText(raw);
      return value === undefined ? empty : { value };
    }
  }
}
