import { isValidEmail } from './email.ts';
import { fieldTypes, hasOptions } from './field-values.ts';
import type {
  Contact,
  ContactTag,
  FakeFieldInit,
  FakeListInit,
  Field,
  ImportContact,
  ImportRefusal,
  List,
  Membership,
  Tag,
} from './types.ts';

function perstagOf(title: string): string {
  return title.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

let stampMs = 0;
let stamp = '';
/** ISO time, shared between the contacts written in the same millisecond (saves memory at scale). */
function timestamp(): string {
  const now = Date.now();
  if (now !== stampMs) {
    stampMs = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}

/**
 * The data of one account: contacts (keyed by lower-cased email, and by id), lists with their memberships,
 * custom fields and the exclusion list. Every lookup on the import path is a Map access.
 */
export class Store {
  readonly contactsByEmail = new Map<string, Contact>();
  /** Ids are dense and never reused: contact n lives at index n - 1, in id order. */
  readonly contactsById: Contact[] = [];
  readonly lists = new Map<number, List>();
  readonly fields = new Map<number, Field>();
  readonly excluded = new Set<string>();
  readonly tags = new Map<number, Tag>();
  readonly contactTags = new Map<number, ContactTag>();
  /** Ids of deleted contacts (they keep their place in contactsById: ids are never reused). */
  readonly deletedIds = new Set<number>();
  resubscriptionsOfSelfUnsubscribed = 0;
  private nextMembershipId = 1;
  private nextTagId = 1;
  private nextContactTagId = 1;

  constructor(readonly contactLimit: number = Number.POSITIVE_INFINITY) {}

  addList(init: FakeListInit): void {
    if (!Number.isInteger(init.id) || init.id <= 0)
      throw new Error(`List id must be a positive integer: ${init.id}`);
    if (this.lists.has(init.id)) throw new Error(`List ${init.id} already exists`);
    const name = init.name ?? `List ${init.id}`;
    const stringid = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    this.lists.set(init.id, { id: init.id, name, stringid, members: new Map(), version: 0 });
  }

  deleteList(id: number): void {
    if (!this.lists.delete(id)) throw new Error(`List ${id} does not exist`);
  }

  addField(init: FakeFieldInit): void {
    if (!Number.isInteger(init.id) || init.id <= 0)
      throw new Error(`Field id must be a positive integer: ${init.id}`);
    if (this.fields.has(init.id)) throw new Error(`Field ${init.id} already exists`);
    const type = init.type ?? 'text';
    if (!(fieldTypes as readonly string[]).includes(type)) throw new Error(`Unknown field type: ${type}`);
    if (init.options?.length && !hasOptions(type)) throw new Error(`A ${type} field has no options`);
    const perstag = init.perstag ?? perstagOf(init.title);
    const options = [...(init.options ?? [])];
    this.fields.set(init.id, { id: init.id, title: init.title, type, perstag, options });
  }

  setFieldOptions(id: number, options: string[]): void {
    const field = this.fields.get(id);
    if (!field) throw new Error(`Field ${id} does not exist`);
    if (!hasOptions(field.type)) throw new Error(`A ${field.type} field has no options`);
    field.options = [...options];
  }

  addTag(name: string): Tag {
    if (!name.trim()) throw new Error('A tag needs a name');
    if (this.findTag(name)) throw new Error(`Tag ${name} already exists`);
    return this.createTag(name);
  }

  /** Tag names compare case-insensitively, as ActiveCampaign's do. */
  findTag(name: string): Tag | undefined {
    const lower = name.toLowerCase();
    for (const tag of this.tags.values()) if (tag.tag.toLowerCase() === lower) return tag;
    return undefined;
  }

  createTag(name: string, tagType = 'contact', description = ''): Tag {
    const tag: Tag = { id: this.nextTagId++, tag: name, tagType, description };
    this.tags.set(tag.id, tag);
    return tag;
  }

  /** Adds the tag to the contact unless it has it already; returns the contact tag. */
  tagContact(contactId: number, tagId: number): ContactTag {
    for (const ct of this.contactTags.values()) if (ct.contact === contactId && ct.tag === tagId) return ct;
    const created: ContactTag = { id: this.nextContactTagId++, contact: contactId, tag: tagId };
    this.contactTags.set(created.id, created);
    return created;
  }

  contactTagsOf(contactId: number): ContactTag[] {
    return [...this.contactTags.values()].filter((ct) => ct.contact === contactId);
  }

  exclude(email: string): void {
    this.excluded.add(email.toLowerCase());
  }

  contact(id: number): Contact | undefined {
    return this.deletedIds.has(id) ? undefined : this.contactsById[id - 1];
  }

  findContact(email: string): Contact | undefined {
    return this.contactsByEmail.get(email.toLowerCase());
  }

  /** Why a new contact with this (lower-cased) email cannot be created, or undefined if it can. */
  refusalToCreate(lowerEmail: string): 'excluded' | 'limit' | undefined {
    if (this.excluded.has(lowerEmail)) return 'excluded';
    if (this.contactsById.length - this.deletedIds.size >= this.contactLimit) return 'limit';
    return undefined;
  }

  createContact(email: string): Contact {
    const now = timestamp();
    const contact: Contact = {
      id: this.contactsById.length + 1,
      email,
      firstName: '',
      lastName: '',
      phone: '',
      fields: {},
      cdate: now,
      udate: now,
    };
    this.contactsById.push(contact);
    this.contactsByEmail.set(email.toLowerCase(), contact);
    return contact;
  }

  /** Contacts that exist, in id order. */
  liveContacts(): Contact[] {
    return this.deletedIds.size
      ? this.contactsById.filter((c) => !this.deletedIds.has(c.id))
      : this.contactsById;
  }

  /** Every list status of a contact, by list. */
  membershipsOf(contactId: number): Array<{ listId: number; membership: Membership }> {
    const found: Array<{ listId: number; membership: Membership }> = [];
    for (const list of this.lists.values()) {
      const membership = list.members.get(contactId);
      if (membership) found.push({ listId: list.id, membership });
    }
    return found;
  }

  /** Deletes a contact with its list statuses and tags; its id is not reused. */
  deleteContact(contact: Contact): void {
    this.contactsByEmail.delete(contact.email.toLowerCase());
    this.deletedIds.add(contact.id);
    for (const list of this.lists.values()) if (list.members.delete(contact.id)) list.version++;
    for (const ct of this.contactTagsOf(contact.id)) this.contactTags.delete(ct.id);
  }

  renameContact(contact: Contact, email: string): void {
    this.contactsByEmail.delete(contact.email.toLowerCase());
    contact.email = email;
    this.contactsByEmail.set(email.toLowerCase(), contact);
  }

  /** Sets a list status as the API would; returns the membership. */
  setStatus(list: List, contact: Contact, status: 1 | 2, by: 'contact' | 'api'): Membership {
    const current = list.members.get(contact.id);
    if (!current) {
      const created: Membership = {
        id: this.nextMembershipId++,
        status: status === 1 ? 'subscribed' : 'unsubscribed',
      };
      if (status === 2) created.unsubscribedBy = by;
      list.members.set(contact.id, created);
      list.version++;
      return created;
    }
    if (status === 1) {
      if (current.status === 'subscribed') return current;
      if (current.unsubscribedBy === 'contact') this.resubscriptionsOfSelfUnsubscribed++;
      current.status = 'subscribed';
      current.unsubscribedBy = undefined;
    } else {
      if (current.status === 'unsubscribed' && (current.unsubscribedBy === 'contact' || by === 'api'))
        return current;
      current.status = 'unsubscribed';
      current.unsubscribedBy = by;
    }
    list.version++;
    return current;
  }

  /** The contact unsubscribes themselves; an unknown contact is created first (to set up a test). */
  unsubscribeAsContact(email: string, listId: number): void {
    const list = this.lists.get(listId);
    if (!list) throw new Error(`List ${listId} does not exist`);
    if (!isValidEmail(email)) throw new Error(`Invalid email: ${email}`);
    const contact = this.findContact(email) ?? this.createContact(email);
    this.setStatus(list, contact, 2, 'contact');
  }

  /**
   * Applies one contact of a completed bulk import. Returns the contact id, or why the contact belongs in
   * `failure`: excluded, over the contact limit, or kept unsubscribed from a list it was to be subscribed
   * to (its other data and tags are still updated, as the real import does).
   */
  importContact(c: ImportContact): { id: number } | { refusal: ImportRefusal } {
    const lower = c.email.toLowerCase();
    if (this.excluded.has(lower)) return { refusal: 'excluded' };
    let contact = this.contactsByEmail.get(lower);
    if (!contact) {
      const refusal = this.refusalToCreate(lower);
      if (refusal) return { refusal: refusal === 'limit' ? 'contact_limit' : 'excluded' };
      contact = this.createContact(c.email);
    } else {
      contact.udate = timestamp();
    }
    if (c.firstName !== undefined) contact.firstName = c.firstName;
    if (c.lastName !== undefined) contact.lastName = c.lastName;
    if (c.phone !== undefined) contact.phone = c.phone;
    for (const [field, value] of c.fields) contact.fields[field] = value;
    for (const name of c.tags) this.tagContact(contact.id, (this.findTag(name) ?? this.createTag(name)).id);
    let refusal: ImportRefusal | undefined;
    for (const listId of c.subscribe) {
      const list = this.lists.get(listId);
      if (!list) refusal ??= 'list_missing';
      else if (list.members.get(contact.id)?.status === 'unsubscribed') refusal ??= 'unsubscribed';
      else this.setStatus(list, contact, 1, 'api');
    }
    for (const listId of c.unsubscribe) {
      const list = this.lists.get(listId);
      if (!list) refusal ??= 'list_missing';
      else this.setStatus(list, contact, 2, 'api');
    }
    return refusal ? { refusal } : { id: contact.id };
  }
}
