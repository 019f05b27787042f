import { randomUUID } from 'node:crypto';
import type { Store } from './store.ts';
import type { ImportContact, ImportRefusal } from './types.ts';

/**
 * Texts for the undocumented `failureReasons` of import/info, answered only with the
 * `importFailureReasons` deviation (robustness tests): ActiveCampaign documents emails only.
 */
const refusalText: Record<ImportRefusal, string> = {
  unsubscribed: 'Contact has unsubscribed from the list and cannot be resubscribed by an import.',
  excluded: 'Contact is on the exclusion list.',
  contact_limit: 'Contact not added: the account is over its plan contact limit.',
  list_missing: 'The list does not exist.',
};

type Batch = {
  id: string;
  /** performance.now() times. */
  falseUntil: number;
  activeFrom: number;
  completeAt: number;
  stuck: boolean;
  /** Released once applied. */
  contacts: ImportContact[] | undefined;
  /** Contact ids; stringified when reported. */
  success: number[] | undefined;
  failure: string[] | undefined;
  failureReasons: Array<{ email: string; failureReason: string }> | undefined;
  excludeAutomations: boolean;
  /** Ended `failed` (a failing email was in it): nothing was applied. */
  failed: boolean;
};

type DailyTotals = { date: string; requests: number; contacts: number };

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Asynchronous bulk-import processing of one account. A batch answers `status: false` for its first
 * min(1 s, P/2), then `waiting`, then `active` for the second half of what remains, then `completed` at
 * P = importProcessingMs (all divided by the time scale). Contacts are applied to the store when the batch
 * completes, in acceptance order: one timer per account, armed for the oldest pending batch.
 */
export class ImportQueue {
  private readonly batches = new Map<string, Batch>();
  private pending: Batch[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private daily: DailyTotals = { date: today(), requests: 0, contacts: 0 };
  /** `exclude_automations` of every accepted import, in order (for tests). */
  readonly automationFlags: boolean[] = [];

  /** Deviation from the documentation: import/info carries `failureReasons` (off by default). */
  failureReasons = false;
  /** Lower-cased emails whose presence makes a whole import end `failed` (a robustness fault). */
  readonly failingEmails = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly processingMs: number,
    private readonly scale: number,
  ) {}

  enqueue(
    contacts: ImportContact[],
    received: number,
    stuck: boolean,
    now: number,
    excludeAutomations = false,
  ): string {
    const total = this.processingMs / this.scale;
    const falseUntil = now + Math.min(1000, this.processingMs / 2) / this.scale;
    const batch: Batch = {
      id: randomUUID(),
      falseUntil,
      activeFrom: falseUntil + (now + total - falseUntil) / 2,
      completeAt: now + total,
      stuck,
      contacts: stuck ? undefined : contacts,
      success: undefined,
      failure: undefined,
      failureReasons: undefined,
      excludeAutomations,
      failed: false,
    };
    this.automationFlags.push(excludeAutomations);
    this.batches.set(batch.id, batch);
    if (!stuck) this.pending.push(batch);
    const date = today();
    if (this.daily.date !== date) this.daily = { date, requests: 0, contacts: 0 };
    this.daily.requests++;
    this.daily.contacts += received;
    this.settle(now);
    return batch.id;
  }

  /** Applies every batch that is due. Cheap when none is. */
  settle(now: number): void {
    while (this.head < this.pending.length) {
      const batch = this.pending[this.head];
      if (!batch || batch.completeAt > now) break;
      this.head++;
      this.apply(batch);
    }
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    this.arm(now);
  }

  info(batchId: string, now: number): object | undefined {
    this.settle(now);
    const batch = this.batches.get(batchId);
    if (!batch) return undefined;
    if (batch.failed) return { status: 'failed', success: [], failure: [] };
    if (batch.success && batch.failure)
      return {
        status: 'completed',
        success: batch.success.map(String),
        failure: batch.failure,
        ...(this.failureReasons && batch.failure.length ? { failureReasons: batch.failureReasons } : {}),
      };
    if (now < batch.falseUntil) return { status: false };
    if (now < batch.activeFrom) return { status: 'waiting' };
    return { status: 'active' };
  }

  dailyTotals(): DailyTotals {
    if (this.daily.date !== today()) this.daily = { date: today(), requests: 0, contacts: 0 };
    return this.daily;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private apply(batch: Batch): void {
    if (batch.contacts?.some((c) => this.failingEmails.has(c.email.toLowerCase()))) {
      batch.contacts = undefined;
      batch.failed = true;
      return;
    }
    const success: number[] = [];
    const failure: string[] = [];
    const failureReasons: Array<{ email: string; failureReason: string }> = [];
    for (const contact of batch.contacts ?? []) {
      const outcome = this.store.importContact(contact);
      if ('id' in outcome) success.push(outcome.id);
      else {
        failure.push(contact.email);
        failureReasons.push({ email: contact.email, failureReason: refusalText[outcome.refusal] });
      }
    }
    batch.contacts = undefined;
    batch.success = success;
    batch.failure = failure;
    batch.failureReasons = failureReasons;
  }

  private arm(now: number): void {
    const next = this.pending[this.head];
    if (this.timer || !next) return;
    this.timer = setTimeout(this.onTimer, Math.max(1, Math.ceil(next.completeAt - now)));
    this.timer.unref();
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.settle(performance.now());
  };
}
