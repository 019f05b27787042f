import { hash as digest } from 'node:crypto';
import type { FieldMapping } from '../../db/schema.ts';
import { isValidEmail } from '../activecampaign/email.ts';
import { formatFieldValue } from '../activecampaign/field-values.ts';
import { type CountedFailure, isCountedFailure, type PermanentRefusal } from '../activecampaign/refusal.ts';
import type { BulkContact } from '../activecampaign/types.ts';
import { customFieldName, type RejectDetails } from './reject-details.ts';
import type { SnapshotRow } from './snapshot-rows.ts';

export type RejectReason =
  | 'PROFILE_DELETED'
  | 'MISSING_EMAIL'
  | 'INVALID_EMAIL'
  | 'DUPLICATE_EMAIL'
  | 'REJECTED_BY_ACTIVECAMPAIGN'
  | 'IMPORT_FAILED'
  | 'IMPORT_NOT_COMPLETED'
  | 'CONTACT_TOO_LARGE'
  | 'FIELD_VALUE_NOT_ALLOWED'
  | 'FAILURE_NOT_CLASSIFIED'
  | CountedFailure
  | PermanentRefusal;

export const rejectReasonText: Record<RejectReason, string> = {
  PROFILE_DELETED: 'The profile was deleted after the run started.',
  MISSING_EMAIL: 'The profile has no value for the mapped email attribute.',
  INVALID_EMAIL: 'The email does not pass ActiveCampaign’s format rules.',
  DUPLICATE_EMAIL: 'Another profile later in the segment has the same email; that one was exported.',
  REJECTED_BY_ACTIVECAMPAIGN: 'ActiveCampaign refused the contact when validating the import.',
  IMPORT_FAILED:
    'ActiveCampaign did not import the contact: the contact exists and is not unsubscribed from the list, or the import failed as a whole. Sent again next run.',
  FAILURE_NOT_CLASSIFIED:
    'ActiveCampaign did not import the contact; this run had spent its budget of lookups before it could learn why. Sent again next run.',
  NOT_CREATED:
    'ActiveCampaign did not create the contact: excluded, over the plan’s contact limit or refused otherwise (ActiveCampaign does not say which). Sent again next run; skipped as REFUSED_REPEATEDLY after repeated failures with the same data.',
  IMPORT_FAILED_ALONE:
    'An import of this contact alone failed (split from a failed import to find the cause). Sent again next run; skipped as REFUSED_REPEATEDLY after repeated failures with the same data.',
  IMPORT_NOT_COMPLETED: 'ActiveCampaign did not finish the import that held this contact in time.',
  CONTACT_TOO_LARGE: 'The mapped contact alone is over the 400,000-byte limit of a bulk import.',
  FIELD_VALUE_NOT_ALLOWED:
    'A mapped custom field would refuse the value: not one of a dropdown’s, radio’s, listbox’s or checkbox’s options, or not a date.',
  UNSUBSCRIBED:
    'Skipped: the contact unsubscribed from the list; an import cannot re-subscribe them. Sent again once their data changes.',
  EXCLUDED: 'Skipped: the email is on the account’s exclusion list. Sent again once their data changes.',
  CONTACT_LIMIT: 'Skipped: the account is over its plan’s contact limit. Sent again once their data changes.',
  REFUSED_REPEATEDLY:
    'Skipped: ActiveCampaign refused the contact on every one of its attempts with the same data. Sent again once their data changes.',
};

/** add: not on the list through this export yet; update: its mapped data changed since the last push. */
export type Change = 'add' | 'update' | 'unchanged';

export type MappedContact = {
  customerId: string;
  contact: BulkContact;
  /** The contact as sent: serialized once for its hash, its size and the request body. */
  json: string;
  change: Change;
  hash: string;
  /** The email it was last pushed with, when that differs (the contact's email changed). */
  previousEmail: string | null;
  contactId: string | null;
  /** Why ActiveCampaign refused its last push for good (an unchanged one is not sent again). */
  skipReason?: string | null;
};

export type MappedProfile =
  | MappedContact
  | { customerId: string; reject: RejectReason; details?: RejectDetails };

function classify(row: SnapshotRow, hash: string, fullResync: boolean): Change {
  if (!row.pushedState || row.pushedState === 'unsubscribed') return 'add';
  // A leaver kept on the list who is back: pushed again so the export tracks it as a member.
  if (fullResync || row.pushedHash !== hash || row.pushedState === 'left') return 'update';
  // Refused with this data fewer times than allowed: tried again.
  if (row.skipReason && isCountedFailure(row.skipReason)) return 'update';
  return 'unchanged';
}

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((v) => String(v)).join('||');
  const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return s === '' ? undefined : s;
}

/**
 * Builds the mapper once per run: maps a member to its contact and compares the content hash with
 * what the export last pushed. `fullResync` treats every contact as changed.
 */
export function createContactMapper(
  mapping: FieldMapping,
  listId: string,
  fullResync = false,
  tags: string[] = [],
) {
  const subscribe = [{ listid: Number(listId) }];
  const fields = mapping.fields.map((f) => ({ ...f, id: Number(f.fieldId) }));
  return (row: SnapshotRow): MappedProfile => {
    const { customerId, attributes } = row;
    if (!attributes) return { customerId, reject: 'PROFILE_DELETED' };
    const email = text(attributes[mapping.email])?.trim();
    if (!email) return { customerId, reject: 'MISSING_EMAIL' };
    if (!isValidEmail(email)) return { customerId, reject: 'INVALID_EMAIL', details: { email } };
    const contact: BulkContact = { email, subscribe };
    const firstName = mapping.firstName ? text(attributes[mapping.firstName]) : undefined;
    const lastName = mapping.lastName ? text(attributes[mapping.lastName]) : undefined;
    const phone = mapping.phone ? text(attributes[mapping.phone]) : undefined;
    if (firstName !== undefined) contact.first_name = firstName;
    if (lastName !== undefined) contact.last_name = lastName;
    if (phone !== undefined) contact.phone = phone;
    if (fields.length) {
      const values: Array<{ id: number; value: string }> = [];
      for (const f of fields) {
        const formatted = formatFieldValue(f, attributes[f.attribute]);
        if ('notAllowed' in formatted) {
          const value = text(attributes[f.attribute]);
          return {
            customerId,
            reject: 'FIELD_VALUE_NOT_ALLOWED',
            details: { email, field: customFieldName(f), ...(value !== undefined ? { value } : {}) },
          };
        }
        if ('value' in formatted) values.push({ id: f.id, value: formatted.value });
      }
      if (values.length) contact.fields = values;
    }
    if (tags.length) contact.tags = tags;
    const json = JSON.stringify(contact);
    const hash = digest('md5', json, 'base64');
    const previousEmail =
      row.pushedEmail && row.pushedEmail.toLowerCase() !== email.toLowerCase() ? row.pushedEmail : null;
    return {
      customerId,
      contact,
      json,
      change: classify(row, hash, fullResync),
      hash,
      previousEmail,
      contactId: row.contactId,
      skipReason: row.skipReason ?? null,
    };
  };
}
