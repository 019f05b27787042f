import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Byte-order collation: keyset paging over customer ids must not depend on the server's locale. */
const customerId = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const userRole = pgEnum('user_role', ['ADMIN', 'CONTRIBUTOR', 'VIEWER']);
export const runStatus = pgEnum('run_status', [
  'QUEUED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
]);
export const runTrigger = pgEnum('run_trigger', ['ON_DEMAND', 'SCHEDULED', 'SOURCE_CHANGED']);
/** What a running run is doing, recorded by the activity doing it. */
export const runPhase = pgEnum('run_phase', ['PUSHING', 'AWAITING_IMPORTS', 'HANDLING_LEAVERS']);
export const onLeavePolicy = pgEnum('on_leave_policy', ['KEEP', 'UNSUBSCRIBE', 'REMOVE_TAGS']);

/**
 * Users are removed softly (`removedAt`): runs, audit events and connections keep pointing at who did
 * them. The email is unique among the users not removed, so a removed user's email can be given to a new one.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    role: userRole('role').notNull(),
    /** A contributor an admin has allowed to write profiles (admins always may; viewers never). */
    canWriteProfiles: boolean('can_write_profiles').notNull().default(false),
    createdAt: createdAt(),
    /** Null: an active user. Set once, by `removeUser`; the user's tokens are deleted with it. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_active_email_idx').on(t.email).where(sql`${t.removedAt} is null`)],
);

export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique(),
  /** What the owner calls it ("CI", "laptop"); the first token of a user is "default". */
  name: text('name').notNull().default('default'),
  /** The token's last four characters, for telling tokens apart in a list (the rest is never stored). */
  hint: text('hint'),
  /** Null: never expires. */
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  /** Updated at most once a minute per API process. */
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  createdAt: createdAt(),
});

/**
 * One row: a counter moved in the transaction of every change that takes access away from a token (the
 * token revoked, its user's role changed or the user removed). An API process trusts a cached token lookup only while the
 * counter, read after the request arrived, is the one the lookup was made under.
 */
export const accessRevocations = pgTable('access_revocations', {
  id: boolean('id').primaryKey().default(true),
  generation: bigint('generation', { mode: 'number' }).notNull(),
});

/** Failed sign-ins per client address (an IPv6 /64), shared by every API process; fixed windows. */
export const authFailures = pgTable('auth_failures', {
  addressKey: text('address_key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  failures: integer('failures').notNull(),
});

export const connections = pgTable('connections', {
  id: uuid('id').primaryKey().defaultRandom(),
  displayName: text('display_name').notNull(),
  type: text('type').notNull().default('ACTIVECAMPAIGN'),
  apiHost: text('api_host').notNull(),
  /** AES-256-GCM ciphertext; null once the connection is deleted. */
  apiKeyCiphertext: text('api_key_ciphertext'),
  apiKeyTail: text('api_key_tail').notNull(),
  contributorsCanUse: boolean('contributors_can_use').notNull().default(false),
  privacyAcceptedBy: uuid('privacy_accepted_by')
    .notNull()
    .references(() => users.id),
  privacyAcceptedAt: timestamp('privacy_accepted_at', { withTimezone: true }).notNull(),
  exportUserId: uuid('export_user_id')
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

export const profiles = pgTable(
  'profiles',
  {
    customerId: customerId('customer_id').primaryKey(),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull(),
    /** The source whose last sync wrote it (it removes it when gone there); null: written through the API or an import. */
    sourceId: uuid('source_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('profiles_source_idx').on(t.sourceId, t.customerId).where(sql`${t.sourceId} is not null`)],
);

export const segments = pgTable('segments', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  rule: jsonb('rule').notNull(),
  /** Membership is versioned: a refresh writes a new generation, runs keep reading theirs. */
  generation: integer('generation').notNull().default(0),
  memberCount: integer('member_count').notNull().default(0),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const segmentMembers = pgTable(
  'segment_members',
  {
    segmentId: uuid('segment_id')
      .notNull()
      .references(() => segments.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull(),
    customerId: customerId('customer_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.generation, t.customerId] })],
);

export type FieldMapping = {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  /** `title`, `type` and `options`: the ActiveCampaign field's, looked up when the export was saved. */
  fields: Array<{ attribute: string; fieldId: string; title?: string; type?: string; options?: string[] }>;
};

export const exports = pgTable('exports', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  connectionId: uuid('connection_id')
    .notNull()
    .references(() => connections.id),
  listId: text('list_id').notNull(),
  segmentIds: uuid('segment_ids').array().notNull(),
  mapping: jsonb('mapping').$type<FieldMapping>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  onLeave: onLeavePolicy('on_leave').notNull().default('KEEP'),
  /** Tag names applied to every contact the export sends (in the bulk import itself). */
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  /** ActiveCampaign's `exclude_automations` for the export's imports (its default: false). */
  excludeAutomations: boolean('exclude_automations').notNull().default(false),
  /** Where each run's results are written after it ends (core/results/); null: nowhere. */
  resultsTargetId: uuid('results_target_id').references(() => resultsTargets.id, { onDelete: 'set null' }),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

export const exportRuns = pgTable(
  'export_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    exportId: uuid('export_id')
      .notNull()
      .references(() => exports.id),
    trigger: runTrigger('trigger').notNull(),
    status: runStatus('status').notNull().default('QUEUED'),
    /** Null until prepareRun is done (the run is QUEUED); the last phase once it has ended. */
    phase: runPhase('phase'),
    requestedBy: uuid('requested_by').references(() => users.id),
    /** The segment generations this run exports: its membership snapshot. */
    snapshot: jsonb('snapshot').$type<Array<{ segmentId: string; generation: number }>>(),
    totalProfiles: integer('total_profiles'),
    /** Last customer id whose outcome is recorded: where a retried or resumed push continues. */
    cursor: customerId('cursor'),
    /** Push every profile, not only new and changed ones. */
    fullResync: boolean('full_resync').notNull().default(false),
    /** The user confirmed a run that unsubscribes more than the guard allows. */
    confirmMassUnsubscribe: boolean('confirm_mass_unsubscribe').notNull().default(false),
    sentCount: integer('sent_count').notNull().default(0),
    addedCount: integer('added_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    unchangedCount: integer('unchanged_count').notNull().default(0),
    leaverCount: integer('leaver_count').notNull().default(0),
    unsubscribedCount: integer('unsubscribed_count').notNull().default(0),
    exportedCount: integer('exported_count').notNull().default(0),
    rejectedCount: integer('rejected_count').notNull().default(0),
    failedCount: integer('failed_count').notNull().default(0),
    /** Contacts ActiveCampaign refused for good (UNSUBSCRIBED, REFUSED_REPEATEDLY): not sent again until changed. */
    skippedCount: integer('skipped_count').notNull().default(0),
    /** Failed contacts this run looked up (contacts?email=, contactLists) to learn why: bounded per run. */
    failureLookups: integer('failure_lookups').notNull().default(0),
    /**
     * Contacts in imports ActiveCampaign accepted whose outcome the run did not see before it ended
     * (cancelled, timed out, failed): sent, outcome unknown. Set when the run finishes.
     */
    unconfirmedCount: integer('unconfirmed_count').notNull().default(0),
    error: text('error'),
    /** Why writing the run's results to its export's results target failed for good; null: written or none. */
    resultsWriteError: text('results_write_error'),
    workflowId: text('workflow_id').notNull(),
    temporalRunId: text('temporal_run_id'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('export_runs_export_idx').on(t.exportId, t.createdAt),
    uniqueIndex('export_runs_one_active_idx').on(t.exportId).where(sql`${t.status} in ('QUEUED', 'RUNNING')`),
  ],
);

/** One accepted bulk_import request: the keyset range it covered and what ActiveCampaign made of it. */
export const runBatches = pgTable(
  'run_batches',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => exportRuns.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    batchId: text('batch_id').notNull(),
    firstCustomerId: customerId('first_customer_id').notNull(),
    lastCustomerId: customerId('last_customer_id').notNull(),
    contactCount: integer('contact_count').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    nextPollAt: timestamp('next_poll_at', { withTimezone: true }).notNull().defaultNow(),
    successCount: integer('success_count'),
    failureCount: integer('failure_count'),
    /** The batch this one holds half of: a failed import is split and resubmitted to isolate its cause. */
    splitOf: integer('split_of'),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.seq] }),
    index('run_batches_pending_idx').on(t.runId, t.seq).where(sql`${t.completedAt} is null`),
  ],
);

/**
 * What an export last pushed for each profile: the content hash of the mapped contact (null: push it
 * again), the email it was pushed with, and the ActiveCampaign contact id once known.
 */
export const exportContacts = pgTable(
  'export_contacts',
  {
    // No foreign key: exports are never hard-deleted, and a per-row check costs the hot path a third.
    exportId: uuid('export_id').notNull(),
    customerId: customerId('customer_id').notNull(),
    email: text('email').notNull(),
    contentHash: text('content_hash'),
    contactId: text('contact_id'),
    /** member: on the list through this export; left: left the segment (KEEP); unsubscribed: by this export. */
    state: text('state').$type<'member' | 'left' | 'unsubscribed'>().notNull().default('member'),
    /** The run that last pushed it: tells a batch's contacts from unchanged neighbours in its range. */
    pushedRunId: uuid('pushed_run_id'),
    /**
     * Why ActiveCampaign refused its last push: for good (UNSUBSCRIBED, REFUSED_REPEATEDLY; kept with the hash,
     * not sent again until changed) or a counted failure (NOT_CREATED, IMPORT_FAILED_ALONE; sent again).
     */
    skipReason: text('skip_reason'),
    /** Counted failures with the data of content_hash; reset when the data changes. */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    /** The run that last took it out of the segments (state left or unsubscribed). */
    leftRunId: uuid('left_run_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.exportId, t.customerId] })],
);

export const runRejects = pgTable(
  'run_rejects',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => exportRuns.id, { onDelete: 'cascade' }),
    customerId: customerId('customer_id').notNull(),
    reason: text('reason').notNull(),
    /** ActiveCampaign's own failure reason, when it gave one. */
    detail: text('detail'),
    /** The email the run had for the contact (personal data: shown to admins and contributors only). */
    email: text('email'),
    /** The field refused: a custom field's title, or a standard field's name. */
    field: text('field'),
    /** The value refused (personal data, like the email). */
    value: text('value'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.customerId] })],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: uuid('actor_id').references(() => users.id),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_events_created_idx').on(t.createdAt)],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Per-account request budget shared by every worker: the next free slot of each limit. */
export const rateLimitSlots = pgTable('rate_limit_slots', {
  key: text('key').primaryKey(),
  nextAt: timestamp('next_at', { withTimezone: true }).notNull(),
});

/** Where alerts go: a signed webhook, a Slack incoming webhook or an e-mail address. */
export const notificationChannels = pgTable('notification_channels', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind').$type<'WEBHOOK' | 'SLACK' | 'EMAIL'>().notNull(),
  /** AES-256-GCM ciphertext of the URL (a Slack URL is itself a secret); null for e-mail. */
  urlCiphertext: text('url_ciphertext'),
  /** The URL's origin and last four characters, for display. */
  urlMasked: text('url_masked'),
  emailTo: text('email_to'),
  /** AES-256-GCM ciphertext of the webhook signing secret; null for Slack and e-mail. */
  signingSecretCiphertext: text('signing_secret_ciphertext'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const alertRules = pgTable('alert_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  channelId: uuid('channel_id')
    .notNull()
    .references(() => notificationChannels.id, { onDelete: 'cascade' }),
  /** Null: every export. */
  exportId: uuid('export_id').references(() => exports.id),
  event: text('event').notNull(),
  thresholdPercent: integer('threshold_percent'),
  thresholdMinutes: integer('threshold_minutes'),
  createdAt: createdAt(),
});

/** One message to one channel: at most one per (run, rule), so a retried activity never sends twice. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => notificationChannels.id, { onDelete: 'cascade' }),
    ruleId: uuid('rule_id').references(() => alertRules.id, { onDelete: 'set null' }),
    runId: uuid('run_id').references(() => exportRuns.id),
    /** What a delivery not about a run is about (`source-sync:<id>`, `refresh:<id>`, `results-write:<run id>`). */
    subject: text('subject'),
    event: text('event').notNull(),
    status: text('status').$type<'PENDING' | 'SENT' | 'FAILED'>().notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notification_deliveries_run_rule_idx').on(t.runId, t.ruleId),
    uniqueIndex('notification_deliveries_subject_rule_idx').on(t.subject, t.ruleId),
    index('notification_deliveries_created_idx').on(t.createdAt),
  ],
);
export const sourceSyncStatus = pgEnum('source_sync_status', ['RUNNING', 'SUCCEEDED', 'FAILED']);

/** A column of a source's rows: its Postgres type and the attribute it becomes (null: unsupported, skipped). */
export type SourceColumn = { name: string; postgresType: string; attribute: string | null };

/** The team's own Postgres database: profiles are read from a table or a query returning customer_id. */
export const sources = pgTable('sources', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** AES-256-GCM ciphertext of the connection URL (it holds the password). */
  databaseUrlCiphertext: text('database_url_ciphertext').notNull(),
  /** The URL with its password replaced, for display. */
  databaseUrlMasked: text('database_url_masked').notNull(),
  tableName: text('table_name'),
  query: text('query'),
  /** The columns seen when the source was created or last updated. */
  columns: jsonb('columns').$type<SourceColumn[]>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** A statement returning one value; when it changes, the source syncs and its exports run (SOURCE_CHANGED). */
  changeQuery: text('change_query'),
  changeCheckSeconds: integer('change_check_seconds').notNull().default(60),
  /** The change query's value at its last check (text), null before the first. */
  lastChangeValue: text('last_change_value'),
  /** A column of the rows that grows when a row changes: syncs then read only rows changed since the last one. */
  changeColumn: text('change_column'),
  /** How far below the watermark the next sync starts reading: seconds (timestamps) or units (integers). */
  changeOverlap: integer('change_overlap').notNull().default(300),
  /** The highest change value the last successful sync read (text); null: the next sync reads everything. */
  changeWatermark: text('change_watermark'),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A rejected source row: its number in customer_id order and, when it has one, its key. */
export type SourceReject = { row: number; customerId: string | null; reason: string };

export const sourceSyncs = pgTable(
  'source_syncs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    status: sourceSyncStatus('status').notNull().default('RUNNING'),
    confirmRemovals: boolean('confirm_removals').notNull().default(false),
    /** Asked to read every row even when the source has a watermark. */
    fullRequested: boolean('full_requested').notNull().default(false),
    /** The watermark this sync reads changed rows from; null: it reads every row. */
    changeSince: text('change_since'),
    /** The highest change value its first attempt read: the source's watermark once it succeeds. */
    changeHigh: text('change_high'),
    /** Customer ids read (every row's key; `read_count` counts the rows read in full). */
    keysCount: integer('keys_count').notNull().default(0),
    readCount: integer('read_count').notNull().default(0),
    addedCount: integer('added_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    removedCount: integer('removed_count').notNull().default(0),
    rejectedCount: integer('rejected_count').notNull().default(0),
    /** The first rejects (at most 100), with their reasons. */
    rejects: jsonb('rejects').$type<SourceReject[]>().notNull().default([]),
    /** Last customer id staged: where a resumed attempt continues reading. */
    cursor: customerId('cursor'),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('source_syncs_source_idx').on(t.sourceId, t.startedAt),
    uniqueIndex('source_syncs_one_running_idx').on(t.sourceId).where(sql`${t.status} = 'RUNNING'`),
  ],
);

/** A sync's rows as read, until it swaps them into profiles in one transaction. */
export const sourceSyncRows = pgTable(
  'source_sync_rows',
  {
    syncId: uuid('sync_id')
      .notNull()
      .references(() => sourceSyncs.id, { onDelete: 'cascade' }),
    customerId: customerId('customer_id').notNull(),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.syncId, t.customerId] })],
);

/**
 * An incremental sync's keys to act on at the swap: `removed`, a profile of the source its rows no longer
 * have; `reread`, a row read by key only whose profile the source does not own (read again in full).
 */
export const sourceSyncKeys = pgTable(
  'source_sync_keys',
  {
    syncId: uuid('sync_id')
      .notNull()
      .references(() => sourceSyncs.id, { onDelete: 'cascade' }),
    customerId: customerId('customer_id').notNull(),
    kind: text('kind').$type<'removed' | 'reread'>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.syncId, t.customerId] })],
);

/** A Postgres database and schema that runs' results are written into (core/results/). */
export const resultsTargets = pgTable('results_targets', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** AES-256-GCM ciphertext of the connection URL (it holds the password). */
  databaseUrlCiphertext: text('database_url_ciphertext').notNull(),
  databaseUrlMasked: text('database_url_masked').notNull(),
  schema: text('schema').notNull(),
  lastWrittenAt: timestamp('last_written_at', { withTimezone: true }),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
