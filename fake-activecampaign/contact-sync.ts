import { isValidEmail } from './email.ts';
import { fieldValueProblem } from './field-values.ts';
import { contactJson, errors422, fieldValuesJson, invalidJson } from './responses.ts';
import type { Store } from './store.ts';
import type { Field, Reply } from './types.ts';

const invalidEmail = () =>
  errors422('Contact Email Address is not valid.', 'email_invalid', '/data/attributes/email');

/**
 * POST /contact/sync: upsert by email (camelCase body). 201 when created, 200 when updated. Where the
 * real API is undocumented the fake is strict: an unknown field id, an excluded email or a new contact
 * over the plan's limit is a 422, nothing is changed.
 */
export function syncContact(store: Store, body: Buffer): Reply {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return invalidJson;
  }
  const input = (json as { contact?: Record<string, unknown> } | null)?.contact;
  if (typeof input !== 'object' || input === null) return invalidEmail();
  const { email, firstName, lastName, phone, fieldValues } = input;
  if (typeof email !== 'string' || !isValidEmail(email)) return invalidEmail();
  for (const [name, value] of [
    ['firstName', firstName],
    ['lastName', lastName],
    ['phone', phone],
  ] as const) {
    if (value !== undefined && typeof value !== 'string') {
      return errors422(`The ${name} field is invalid.`, 'field_invalid', `/data/attributes/${name}`);
    }
  }
  const values: Array<[string, string]> = [];
  if (fieldValues !== undefined) {
    if (!Array.isArray(fieldValues)) {
      return errors422('The fieldValues field is invalid.', 'field_invalid', '/data/attributes/fieldValues');
    }
    for (const entry of fieldValues as unknown[]) {
      const { field, value } = (entry ?? {}) as { field?: unknown; value?: unknown };
      const id = typeof field === 'number' || typeof field === 'string' ? Number(field) : Number.NaN;
      if (!Number.isInteger(id) || !store.fields.has(id)) {
        return errors422(
          `Field ${String(field)} does not exist.`,
          'field_invalid',
          '/data/attributes/fieldValues',
        );
      }
      if (typeof value !== 'string' && typeof value !== 'number') {
        return errors422('The field value is invalid.', 'field_invalid', '/data/attributes/fieldValues');
      }
      const problem = fieldValueProblem(store.fields.get(id) as Field, String(value));
      if (problem) return errors422(problem, 'field_invalid', '/data/attributes/fieldValues');
      values.push([String(id), String(value)]);
    }
  }
  const lower = email.toLowerCase();
  if (store.excluded.has(lower)) {
    return errors422(
      'The email address is on the exclusion list.',
      'email_excluded',
      '/data/attributes/email',
    );
  }
  let contact = store.findContact(email);
  const created = !contact;
  if (!contact) {
    if (store.refusalToCreate(lower) === 'limit') {
      return errors422(
        'The contact limit of the account has been reached.',
        'contact_limit',
        '/data/attributes/email',
      );
    }
    contact = store.createContact(email);
  } else {
    contact.udate = new Date().toISOString();
  }
  if (typeof firstName === 'string') contact.firstName = firstName;
  if (typeof lastName === 'string') contact.lastName = lastName;
  if (typeof phone === 'string') contact.phone = phone;
  for (const [field, value] of values) contact.fields[field] = value;
  return {
    status: created ? 201 : 200,
    body: { fieldValues: fieldValuesJson(contact), contact: contactJson(contact) },
  };
}
