import { isValidEmail } from './email.ts';
import { fieldValueProblem } from './field-values.ts';
import type { Store } from './store.ts';
import type { ImportContact } from './types.ts';

export const maxContactsPerImport = 250;
export const maxImportBytes = 400_000;

export const validationMessage =
  'JSON payload did not pass validation. Please correct the errors and try again. The import was not queued for processing.';

export type FailureReason = string | { contact: number; failureReason: string };

/** The request body, parsed just enough to classify and record it. */
export type ParsedImport = {
  contacts: unknown[] | undefined;
  /** `exclude_automations` as sent (ActiveCampaign's default: false). */
  excludeAutomations: boolean;
  /** A general (not per-contact) reason to reject the request. */
  error: string | undefined;
};

/** Checks, in the documented order: JSON with a `contacts` array, 1..250 contacts, raw body < 400,000 bytes. */
export function parseImportBody(body: Buffer): ParsedImport {
  // A body this large cannot pass; do not spend time parsing it.
  if (body.length > 10 * maxImportBytes)
    return { contacts: undefined, excludeAutomations: false, error: sizeReason(body.length) };
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { contacts: undefined, excludeAutomations: false, error: 'The request body is not valid JSON.' };
  }
  const contacts =
    typeof json === 'object' && json !== null ? (json as { contacts?: unknown }).contacts : undefined;
  const excludeAutomations =
    typeof json === 'object' && json !== null
      ? (json as { exclude_automations?: unknown }).exclude_automations === true
      : false;
  if (!Array.isArray(contacts)) {
    return {
      contacts: undefined,
      excludeAutomations,
      error: "The request body must contain a 'contacts' array.",
    };
  }
  if (contacts.length < 1)
    return { contacts, excludeAutomations, error: 'At least 1 contact must be provided.' };
  if (contacts.length > maxContactsPerImport) {
    return {
      contacts,
      excludeAutomations,
      error: `Up to ${maxContactsPerImport} contacts may be imported per request.`,
    };
  }
  if (body.length >= maxImportBytes) return { contacts, excludeAutomations, error: sizeReason(body.length) };
  return { contacts, excludeAutomations, error: undefined };
}

function sizeReason(bytes: number): string {
  return `The request payload must be less than ${maxImportBytes} bytes (received ${bytes}).`;
}

function toId(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : Number.NaN;
  if (typeof value === 'string' && /^[1-9][0-9]*$/.test(value)) return Number(value);
  return Number.NaN;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ContactError(`Field '${name}' incorrect format`);
  return value;
}

class ContactError extends Error {}

function listIds(value: unknown, name: 'subscribe' | 'unsubscribe', store: Store): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ContactError(`Field '${name}' incorrect format`);
  const ids: number[] = [];
  for (const entry of value) {
    const id = toId(
      typeof entry === 'object' && entry !== null ? (entry as { listid?: unknown }).listid : undefined,
    );
    if (Number.isNaN(id)) throw new ContactError(`Field '${name}' incorrect format`);
    if (!store.lists.has(id))
      throw new ContactError(`Field '${name}' references list ${id}, which does not exist`);
    ids.push(id);
  }
  return ids;
}

function fieldValues(value: unknown, store: Store): Array<[string, string]> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ContactError("Field 'fields' incorrect format");
  const values: Array<[string, string]> = [];
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null)
      throw new ContactError("Field 'fields' incorrect format");
    const { id: rawId, value: raw } = entry as { id?: unknown; value?: unknown };
    const id = toId(rawId);
    if (Number.isNaN(id)) throw new ContactError("Field 'fields' incorrect format");
    const field = store.fields.get(id);
    if (!field) throw new ContactError(`Field 'fields' references field ${id}, which does not exist`);
    if (typeof raw !== 'string' && typeof raw !== 'number')
      throw new ContactError("Field 'fields' incorrect format");
    const problem = fieldValueProblem(field, String(raw));
    if (problem) throw new ContactError(problem);
    values.push([String(id), String(raw)]);
  }
  return values;
}

function isStringArray(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

function validateContact(raw: unknown, store: Store): ImportContact {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ContactError('Contact incorrect format');
  const c = raw as Record<string, unknown>;
  if (c.email === undefined || c.email === '') throw new ContactError("Field 'email' is required");
  if (typeof c.email !== 'string' || !isValidEmail(c.email))
    throw new ContactError("Field 'email' incorrect format");
  if (c.tags !== undefined && !isStringArray(c.tags)) throw new ContactError("Field 'tags' incorrect format");
  return {
    email: c.email,
    firstName: optionalString(c.first_name, 'first_name'),
    lastName: optionalString(c.last_name, 'last_name'),
    phone: optionalString(c.phone, 'phone'),
    fields: fieldValues(c.fields, store),
    tags: (c.tags as string[] | undefined) ?? [],
    subscribe: listIds(c.subscribe, 'subscribe', store),
    unsubscribe: listIds(c.unsubscribe, 'unsubscribe', store),
  };
}

/**
 * All-or-nothing validation of every contact. Returns the normalised contacts with duplicate emails
 * collapsed (compared case-insensitively, the last one wins), or one failure per invalid contact,
 * indexed from 1.
 */
export function validateImport(
  contacts: unknown[],
  store: Store,
): { contacts: ImportContact[]; failureReasons?: undefined } | { failureReasons: FailureReason[] } {
  const byEmail = new Map<string, ImportContact>();
  const failureReasons: FailureReason[] = [];
  for (let i = 0; i < contacts.length; i++) {
    try {
      const contact = validateContact(contacts[i], store);
      const key = contact.email.toLowerCase();
      byEmail.delete(key);
      byEmail.set(key, contact);
    } catch (error) {
      if (!(error instanceof ContactError)) throw error;
      failureReasons.push({ contact: i + 1, failureReason: error.message });
    }
  }
  if (failureReasons.length > 0) return { failureReasons };
  return { contacts: [...byEmail.values()] };
}
