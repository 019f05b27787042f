/** One contact of a bulk import, in the snake_case the endpoint expects. */
export type BulkContact = {
  email: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  fields?: Array<{ id: number; value: string }>;
  /** Tag names; ActiveCampaign creates unknown ones. */
  tags?: string[];
  subscribe?: Array<{ listid: number }>;
  unsubscribe?: Array<{ listid: number }>;
};

export type ImportStatus =
  | 'queued'
  | 'waiting'
  | 'claimed'
  | 'active'
  | 'completed'
  | 'failed'
  | 'interrupted';

export type ImportInfo = {
  status: ImportStatus;
  success: string[];
  /** Emails, without a reason (documented): learnt through the contact's lookups. */
  failure: string[];
};

export type AcList = { id: string; name: string };
/** `options`: the values a dropdown, radio, listbox or checkbox field offers (empty for the others). */
export type AcField = { id: string; title: string; type: string; perstag: string; options: string[] };
export type AcTag = { id: string; name: string };
export type AcContact = { id: string; email: string };
/** A contact's status on one list: 1 subscribed (active), 2 unsubscribed. */
export type AcContactList = { list: string; status: number };
export type ListStatus = 1 | 2;

/** One contact for POST /contact/sync: camelCase, unlike bulk import; field ids as strings. */
export type SyncContact = {
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  fieldValues?: Array<{ field: string; value: string }>;
};
