import { type FakeClock, realClock } from './clock-and-chance.ts';
import { Faults } from './faults.ts';
import { ImportQueue } from './imports.ts';
import { retryAfterSeconds, SlidingWindow } from './rate-limiter.ts';
import { RequestGate } from './request-gate.ts';
import { Store } from './store.ts';
import type {
  FakeAccount,
  FakeAccountInit,
  FakeDeviations,
  FakeFaults,
  FakeFieldInit,
  FakeLimits,
  FakeListInit,
  FakeMember,
  FakeStats,
  RecordedRequest,
  Reply,
} from './types.ts';

export const defaultLimits: FakeLimits = {
  requestsPerSecond: 5,
  bulkPerMinute: 100,
  singleBulkPerMinute: 20,
};

/** Which bulk-import budget a request draws from: multi = 2 or more contacts. */
export type ImportKind = 'multi' | 'single';

/** One ActiveCampaign account: its data, its shared rate-limit budget, its faults and its request log. */
export class Account implements FakeAccount {
  readonly store: Store;
  readonly imports: ImportQueue;
  readonly faults: Faults;
  readonly gate = new RequestGate();
  private records: RecordedRequest[] = [];
  private received = 0;
  private over429 = 0;
  private readonly limits: FakeLimits;
  private readonly general: SlidingWindow | undefined;
  private readonly multi: SlidingWindow | undefined;
  private readonly single: SlidingWindow | undefined;
  private readonly paymentRequired: boolean;

  constructor(
    init: FakeAccountInit,
    private readonly scale: number,
    /** The time of the rate windows and 429 storms (import processing keeps real time). */
    readonly clock: FakeClock = realClock,
    random: () => number = Math.random,
  ) {
    this.faults = new Faults(random);
    this.store = new Store(init.contactLimit);
    for (const list of init.lists ?? []) this.store.addList(typeof list === 'number' ? { id: list } : list);
    for (const field of init.fields ?? []) this.store.addField(field);
    for (const tag of init.tags ?? []) this.store.addTag(tag);
    for (const email of init.excluded ?? []) this.store.exclude(email);
    this.limits = { ...defaultLimits, ...init.limits };
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`limits.${name} must be a positive integer`);
    }
    if (!init.unthrottled) {
      this.general = new SlidingWindow(this.limits.requestsPerSecond, 1000 / scale);
      this.multi = new SlidingWindow(this.limits.bulkPerMinute, 60_000 / scale);
      this.single = new SlidingWindow(this.limits.singleBulkPerMinute, 60_000 / scale);
    }
    this.imports = new ImportQueue(this.store, init.importProcessingMs ?? 2000, scale);
    this.paymentRequired = init.paymentRequired ?? false;
    this.setDeviations(init.deviations ?? {});
  }

  /**
   * Admission in the documented order: payment, injected 429 storm, the general per-second window, then the
   * bulk-import window. Only admitted requests are counted in the windows. Returns the refusal, if any.
   */
  admit(now: number, importKind: ImportKind | undefined): Reply | undefined {
    if (this.paymentRequired) return { status: 402, body: { message: 'Payment Required' } };
    const storm = this.faults.stormMs(now);
    if (storm > 0) return this.tooManyRequests(storm);
    const generalWait = this.general?.waitMs(now) ?? 0;
    if (generalWait > 0) {
      this.over429++;
      return this.tooManyRequests(generalWait);
    }
    const importWindow =
      importKind === 'multi' ? this.multi : importKind === 'single' ? this.single : undefined;
    if (importWindow && importWindow.waitMs(now) > 0) {
      this.over429++;
      return {
        status: 400,
        body: {
          success: 0,
          message: 'Rate limit exceeded.',
          failureReasons: [
            `Up to ${importWindow.limit} imports may be requested per minute. Please wait and try again.`,
          ],
        },
      };
    }
    this.general?.commit(now);
    importWindow?.commit(now);
    return undefined;
  }

  private tooManyRequests(waitMs: number): Reply {
    return {
      status: 429,
      body: { message: 'Too Many Requests' },
      headers: {
        'Retry-After': retryAfterSeconds(waitMs, this.scale),
        'RateLimit-Limit': String(this.limits.requestsPerSecond),
        'RateLimit-Remaining': '0',
      },
    };
  }

  /** Starts the log entry of a request; the server fills in status and duration when it answers. */
  record(method: string, path: string, at: number): RecordedRequest {
    const entry: RecordedRequest = { method, path, status: 0, at, durationMs: 0 };
    this.records.push(entry);
    return entry;
  }

  noteReceived(contacts: number): void {
    this.received += contacts;
  }

  settle(now: number = performance.now()): void {
    this.imports.settle(now);
  }

  stats(): FakeStats {
    return {
      contactCount: this.contactCount(),
      contactsReceived: this.received,
      requests: this.records.length,
      over429: this.over429,
      resubscriptionsOfSelfUnsubscribed: this.store.resubscriptionsOfSelfUnsubscribed,
    };
  }

  close(): void {
    this.imports.close();
  }

  // ---- FakeAccount ----

  setFaults(faults: FakeFaults): void {
    this.faults.set(faults, this.clock());
  }

  holdRequests(): void {
    this.gate.hold();
  }

  releaseRequests(): void {
    this.gate.release();
  }

  heldRequests(count = 1): Promise<void> {
    return this.gate.whenHeld(count);
  }

  requests(): RecordedRequest[] {
    return this.records.map((r) => ({ ...r }));
  }

  clearRequests(): void {
    this.records = [];
  }

  listMembers(listId: number): FakeMember[] {
    this.settle();
    const list = this.store.lists.get(listId);
    if (!list) return [];
    const members: FakeMember[] = [];
    for (const [contactId, membership] of list.members) {
      const contact = this.store.contact(contactId);
      if (!contact) continue;
      const member: FakeMember = {
        contactId: String(contact.id),
        email: contact.email,
        firstName: contact.firstName,
        lastName: contact.lastName,
        phone: contact.phone,
        fields: { ...contact.fields },
        status: membership.status,
      };
      if (membership.unsubscribedBy) member.unsubscribedBy = membership.unsubscribedBy;
      members.push(member);
    }
    return members.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  }

  contactCount(): number {
    this.settle();
    return this.store.contactsById.length - this.store.deletedIds.size;
  }

  contactsReceived(): number {
    return this.received;
  }

  unsubscribeAsContact(email: string, listId: number): void {
    this.settle();
    this.store.unsubscribeAsContact(email, listId);
  }

  exclude(email: string): void {
    this.store.exclude(email);
  }

  addList(list: FakeListInit): void {
    this.store.addList(list);
  }

  addField(field: FakeFieldInit): void {
    this.store.addField(field);
  }

  setFieldOptions(fieldId: number, options: string[]): void {
    this.store.setFieldOptions(fieldId, options);
  }

  addTag(name: string): number {
    return this.store.addTag(name).id;
  }

  deleteList(listId: number): void {
    this.settle();
    this.store.deleteList(listId);
  }

  resubscriptionsOfSelfUnsubscribed(): number {
    this.settle();
    return this.store.resubscriptionsOfSelfUnsubscribed;
  }

  /** The account's tag names, in id order. */
  tagNames(): string[] {
    return [...this.store.tags.values()].map((t) => t.tag);
  }

  contactTags(email: string): string[] {
    this.settle();
    const contact = this.store.findContact(email);
    if (!contact) return [];
    return this.store
      .contactTagsOf(contact.id)
      .map((ct) => this.store.tags.get(ct.tag)?.tag ?? '')
      .sort();
  }

  importAutomationFlags(): boolean[] {
    return [...this.imports.automationFlags];
  }

  violations(): { over429: number } {
    return { over429: this.over429 };
  }

  setDeviations(deviations: FakeDeviations): void {
    this.imports.failureReasons = deviations.importFailureReasons ?? false;
  }

  failImportsContaining(email: string): void {
    this.imports.failingEmails.add(email.toLowerCase());
  }
}
