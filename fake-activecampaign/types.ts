/** Public types of the fake ActiveCampaign server (re-exported by index.ts) and the internal state they describe. */

export type FakeListInit = { id: number; name?: string };
/** `type` defaults to text; `options` are the values a dropdown, radio, listbox or checkbox field offers. */
export type FakeFieldInit = {
  id: number;
  title: string;
  type?: string;
  perstag?: string;
  options?: string[];
};
export type FakeLimits = { requestsPerSecond: number; bulkPerMinute: number; singleBulkPerMinute: number };

export type FakeAccountInit = {
  /** All keys of the account share its rate-limit budget. */
  apiKeys: string[];
  lists?: Array<FakeListInit | number>;
  fields?: FakeFieldInit[];
  /** Contact tags (names), ids from 1 in this order. */
  tags?: string[];
  /** Plan limit: new contacts over it fail on import (reported in `failure`). */
  contactLimit?: number;
  /** Exclusion list (emails): imports report them as failures, they are never added. */
  excluded?: string[];
  limits?: Partial<FakeLimits>;
  /** No rate limits at all (for measuring the client's own ceiling). */
  unthrottled?: boolean;
  /** Real-time ms an import takes from queued to completed at scale 1 (default 2000); divided by scale. */
  importProcessingMs?: number;
  /** Every request answers 402. */
  paymentRequired?: boolean;
  /** Undocumented behaviours, off by default (robustness tests and the contract check's own test). */
  deviations?: FakeDeviations;
};

/**
 * Behaviours ActiveCampaign does not document. The fake answers as documented unless one is switched on.
 * `importFailureReasons`: import/info adds `failureReasons` (a reason per failed email).
 */
export type FakeDeviations = { importFailureReasons?: boolean };

/** Fault parameters are real milliseconds and ratios: the time scale does not apply to them. */
export type FakeFaults = {
  latencyMs?: number;
  errorRate?: number;
  rateLimitStormMs?: number;
  dropConnectionRate?: number;
  stuckBatches?: number;
};

/** `status` 0 = the connection was destroyed without an answer. */
export type RecordedRequest = {
  method: string;
  path: string;
  status: number;
  at: number;
  durationMs: number;
  contacts?: number;
};

export type FakeMember = {
  contactId: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  /** Custom field values keyed by field id ("1"). */
  fields: Record<string, string>;
  status: 'subscribed' | 'unsubscribed';
  unsubscribedBy?: 'contact' | 'api';
};

export interface FakeAccount {
  setFaults(faults: FakeFaults): void;
  /** API requests from now on wait (recorded, before latency and rate limits) until `releaseRequests()`. */
  holdRequests(): void;
  releaseRequests(): void;
  /** Resolves once `count` (default 1) requests are waiting at the held gate. */
  heldRequests(count?: number): Promise<void>;
  requests(): RecordedRequest[];
  clearRequests(): void;
  listMembers(listId: number): FakeMember[];
  contactCount(): number;
  contactsReceived(): number;
  unsubscribeAsContact(email: string, listId: number): void;
  exclude(email: string): void;
  addList(list: FakeListInit): void;
  addField(field: FakeFieldInit): void;
  /** An account admin edits a dropdown, radio, listbox or checkbox field's options. */
  setFieldOptions(fieldId: number, options: string[]): void;
  /** Returns the new tag's id. */
  addTag(name: string): number;
  deleteList(listId: number): void;
  resubscriptionsOfSelfUnsubscribed(): number;
  /** Tag names of a contact, by email (empty for an unknown contact). */
  contactTags(email: string): string[];
  /** The account's tag names, in id order. */
  tagNames(): string[];
  /** `exclude_automations` of each accepted bulk import, in order. */
  importAutomationFlags(): boolean[];
  violations(): { over429: number };
  setDeviations(deviations: FakeDeviations): void;
  /** Any import holding this email ends `failed` as a whole, importing nobody (a robustness fault). */
  failImportsContaining(email: string): void;
}

export interface FakeActiveCampaign {
  url: string;
  host: string;
  port: number;
  scale: number;
  /** The seed of the injected faults' draws: print it when a test fails, pass it as `seed` to repeat them. */
  seed: number;
  addAccount(init: FakeAccountInit): FakeAccount;
  account(apiKey: string): FakeAccount;
  close(): Promise<void>;
}

export type FakeStats = {
  contactCount: number;
  contactsReceived: number;
  requests: number;
  over429: number;
  resubscriptionsOfSelfUnsubscribed: number;
};

// ---- internal state ----

export type Contact = {
  id: number;
  /** As given when the contact was first created; identity is the lower-cased form. */
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  fields: Record<string, string>;
  cdate: string;
  udate: string;
};

export type Membership = {
  status: 'subscribed' | 'unsubscribed';
  unsubscribedBy?: 'contact' | 'api';
  id: number;
};

export type List = {
  id: number;
  name: string;
  stringid: string;
  /** Keyed by contact id. */
  members: Map<number, Membership>;
  /** Bumped on every membership change; read-side caches compare it. */
  version: number;
};

export type Field = { id: number; title: string; type: string; perstag: string; options: string[] };

export type Tag = { id: number; tag: string; tagType: string; description: string };
export type ContactTag = { id: number; contact: number; tag: number };

/** Why a completed import did not take a contact (the `failureReasons` of import/info). */
export type ImportRefusal = 'unsubscribed' | 'excluded' | 'contact_limit' | 'list_missing';

/** One contact of a validated bulk import, normalised. */
export type ImportContact = {
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  fields: Array<[string, string]>;
  /** Tag names, applied to the contact (unknown ones are created). */
  tags: string[];
  subscribe: number[];
  unsubscribe: number[];
};

/** What a handler answers; `body` is JSON-encoded unless `raw` or `items` is set. */
export type Reply = {
  status: number;
  body?: unknown;
  /** A JSON array that may be huge (a million list members): written in slices, never as one string. */
  items?: unknown[];
  raw?: { contentType: string; text: string };
  headers?: Record<string, string>;
};
