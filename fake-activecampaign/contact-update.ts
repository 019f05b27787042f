import { isValidEmail } from './email.ts';
import { contactJson, errors422, invalidJson, notFound } from './responses.ts';
import type { Store } from './store.ts';
import type { Reply } from './types.ts';

/**
 * PUT /contacts/{id} ("Update a contact"): changes email and names in place, keeping the contact's
 * id and list memberships. An email that belongs to another contact is a 422, as on the real API.
 */
export function updateContact(store: Store, id: number, body: Buffer): Reply {
  const contact = store.contact(id);
  if (!contact) return notFound(`No Result found for Subscriber with id ${id}`);
  let input: Record<string, unknown> | undefined;
  try {
    input = (JSON.parse(body.toString('utf8')) as { contact?: Record<string, unknown> } | null)?.contact;
  } catch {
    return invalidJson;
  }
  if (typeof input !== 'object' || input === null) return invalidJson;
  const { email, firstName, lastName, phone } = input;
  if (email !== undefined) {
    if (typeof email !== 'string' || !isValidEmail(email)) {
      return errors422('Contact Email Address is not valid.', 'email_invalid', '/data/attributes/email');
    }
    const owner = store.findContact(email);
    if (owner && owner.id !== contact.id) {
      return errors422('Email address already exists in the system.', 'duplicate', '/data/attributes/email');
    }
    store.renameContact(contact, email);
  }
  if (typeof firstName === 'string') contact.firstName = firstName;
  if (typeof lastName === 'string') contact.lastName = lastName;
  if (typeof phone === 'string') contact.phone = phone;
  contact.udate = new Date().toISOString();
  return { status: 200, body: { contact: contactJson(contact) } };
}
