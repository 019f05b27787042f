import type { BulkContact } from '../activecampaign/types.ts';

/**
 * What a reject says beside its reason, stored with it in Postgres (never in a workflow's history or a
 * log): the email the run had for the contact, and the field and value that were refused, with
 * ActiveCampaign's own words when it gave some.
 */
export type RejectDetails = {
  email?: string;
  /** The field's title as the export saved it (custom fields), or the standard field's name. */
  field?: string;
  value?: string;
  /** ActiveCampaign's failure reason, as it wrote it. */
  detail?: string;
};

/** Longer values and texts are cut: a reject names what was refused, it is not a copy of the profile. */
export const maxDetailLength = 1_000;

const storable = (text: string) =>
  // Postgres text holds no NUL and no unpaired surrogate.
  text
    .replaceAll('\u0000', '')
    .replace(/\p{Cs}/gu, '\uFFFD')
    .slice(0, maxDetailLength);

export function storableDetails(details: RejectDetails): RejectDetails {
  const out: RejectDetails = {};
  for (const key of ['email', 'field', 'value', 'detail'] as const) {
    const value = details[key];
    if (value !== undefined) out[key] = storable(value);
  }
  return out;
}

export type MappedField = { fieldId: string; title?: string };

export const customFieldName = (field: MappedField) => field.title || `custom field ${field.fieldId}`;

const standardFieldNames: Record<string, keyof BulkContact> = {
  email: 'email',
  first_name: 'first_name',
  last_name: 'last_name',
  phone: 'phone',
};

/**
 * The field and value an ActiveCampaign validation failure names, as far as its text says: the
 * documented form is `Field 'email' incorrect format`; a custom field is named by its id (`field 3`).
 * Unknown forms keep the text only.
 */
export function refusalDetails(
  failureReason: string,
  contact: BulkContact,
  fields: readonly MappedField[],
): RejectDetails {
  const details: RejectDetails = { email: contact.email, detail: failureReason || undefined };
  const standard = /field\s+'([a-z_]+)'/i.exec(failureReason)?.[1]?.toLowerCase();
  const standardKey = standard ? standardFieldNames[standard] : undefined;
  if (standardKey) {
    const value = contact[standardKey];
    return { ...details, field: standard, ...(typeof value === 'string' ? { value } : {}) };
  }
  const fieldId = /field\s+'?(\d+)'?/i.exec(failureReason)?.[1];
  if (fieldId) {
    const mapped = fields.find((f) => f.fieldId === fieldId);
    const value = contact.fields?.find((f) => String(f.id) === fieldId)?.value;
    return {
      ...details,
      field: mapped ? customFieldName(mapped) : `custom field ${fieldId}`,
      ...(value !== undefined ? { value: String(value) } : {}),
    };
  }
  return details;
}
