import type { Sql } from '../../db/client.ts';
import type { FieldMapping } from '../../db/schema.ts';
import { isCountedFailure, isPermanentRefusal } from '../activecampaign/refusal.ts';
import type { OnLeavePolicy } from '../exports/on-leave-policy.ts';
import type { Chunk, Reject } from './chunk-plan.ts';
import { storableDetails } from './reject-details.ts';
import type { SegmentSnapshot } from './snapshot-rows.ts';

export type RunContext = {
  runId: string;
  status: string;
  trigger: 'ON_DEMAND' | 'SCHEDULED' | 'SOURCE_CHANGED';
  snapshot: SegmentSnapshot | null;
  cursor: string | null;
  exportId: string;
  exportDeleted: boolean;
  segmentIds: string[];
  listId: string;
  mapping: FieldMapping;
  onLeave: OnLeavePolicy;
  tags: string[];
  excludeAutomations: boolean;
  fullResync: boolean;
  confirmMassUnsubscribe: boolean;
  connectionId: string;
  apiHost: string;
  apiKeyCiphertext: string | null;
  connectionDeleted: boolean;
};

export async function loadRunContext(sql: Sql, runId: string): Promise<RunContext | undefined> {
  const [row] = await sql<RunContext[]>`
    select r.id as "runId", r.status, r.trigger, r.snapshot, r.cursor,
      e.id as "exportId", e.deleted_at is not null as "exportDeleted", e.segment_ids as "segmentIds",
      e.list_id as "listId", e.mapping, e.on_leave as "onLeave", e.tags,
      e.exclude_automations as "excludeAutomations", r.full_resync as "fullResync",
      r.confirm_mass_unsubscribe as "confirmMassUnsubscribe",
      c.id as "connectionId", c.api_host as "apiHost", c.api_key_ciphertext as "apiKeyCiphertext",
      c.deleted_at is not null as "connectionDeleted"
    from export_runs r join exports e on e.id = r.export_id join connections c on c.id = e.connection_id
    where r.id = ${runId}`;
  return row;
}

/**
 * Pins the run to the segments' current generations, once. The segment rows are share-locked so a
 * concurrent refresh cannot retire a generation between reading it and recording it here.
 */
export async function pinSnapshot(sql: Sql, runId: string, segmentIds: string[]): Promise<SegmentSnapshot> {
  return sql.begin(async (tx) => {
    const [run] = await tx<[{ snapshot: SegmentSnapshot | null }]>`
      select snapshot from export_runs where id = ${runId} for update`;
    if (run.snapshot) return run.snapshot;
    const snapshot: SegmentSnapshot = [
      ...(await tx<SegmentSnapshot>`
        select id as "segmentId", generation from segments where id = any(${segmentIds}::uuid[])
        order by id for share`),
    ];
    await tx`update export_runs set snapshot = ${JSON.stringify(snapshot)}::jsonb where id = ${runId}`;
    return snapshot;
  });
}

/**
 * Imports an earlier run of the export sent but never saw finish (it was cancelled, timed out or
 * failed meanwhile): their contacts are recorded as pushed, yet ActiveCampaign may have failed them.
 * Their content hashes are forgotten so this run sends them again, and the batches are closed.
 */
export async function releaseUncheckedImports(sql: Sql, runId: string, exportId: string): Promise<void> {
  await sql`
    with unchecked as (
      update run_batches b set completed_at = now()
      from export_runs r
      where r.id = b.run_id and r.export_id = ${exportId} and r.id <> ${runId} and b.completed_at is null
      returning b.run_id, b.first_customer_id, b.last_customer_id)
    update export_contacts ec set content_hash = null, updated_at = now()
    from unchecked u
    where ec.export_id = ${exportId} and ec.pushed_run_id = u.run_id
      and ec.customer_id between u.first_customer_id and u.last_customer_id`;
}

/** The phase a running run has reached, shown in its progress; an ended run keeps its last. */
export async function recordPhase(
  sql: Sql,
  runId: string,
  phase: 'AWAITING_IMPORTS' | 'HANDLING_LEAVERS',
): Promise<void> {
  await sql`
    update export_runs set phase = ${phase}
    where id = ${runId} and status = 'RUNNING' and phase is distinct from ${phase}`;
}

/**
 * The rows of run_rejects to insert (ignored when already there: a re-sent chunk counts once), only if
 * the `claimed` CTE has a row when given.
 */
function rejectRows(sql: Sql, runId: string, rejects: Reject[], onlyIfClaimed = false) {
  const stored = rejects.map((r) => ({ ...r, ...storableDetails(r) }));
  const column = (key: 'email' | 'field' | 'value' | 'detail') => stored.map((r) => r[key] ?? null);
  return sql`
    insert into run_rejects (run_id, customer_id, reason, email, field, value, detail)
    select ${runId}, * from unnest(${stored.map((r) => r.customerId)}::text[], ${stored.map((r) => r.reason)}::text[],
      ${column('email')}::text[], ${column('field')}::text[], ${column('value')}::text[], ${column('detail')}::text[])
    ${onlyIfClaimed ? sql`where exists (select 1 from claimed)` : sql``}
    on conflict do nothing returning 1`;
}

/**
 * Records one chunk in one statement (so atomically, in one round trip): its rejects, the accepted
 * bulk import (if any), what was pushed for each contact, the counters and the cursor. A crash
 * before this commits re-sends only this chunk; rejects are keyed by customer, so counts never double.
 * Only if the run's cursor is still `after` (where the chunk starts): when an attempt that stalled
 * and one that replaced it both record the same chunk, only the first counts it. Returns whether
 * this one did.
 */
export async function recordChunk(
  sql: Sql,
  run: { runId: string; exportId: string },
  chunk: Chunk,
  batch: { batchId: string; firstPollInMs: number } | null,
  after: string | null,
): Promise<boolean> {
  const batchId = batch?.batchId ?? null;
  const { runId, exportId } = run;
  const sent = batchId ? chunk.contacts : [];
  const added = sent.filter((c) => c.change === 'add').length;
  const recorded = await sql`
    with claimed as (
      select id from export_runs where id = ${runId} and cursor is not distinct from ${after}::text for update),
    rejected as (${rejectRows(sql, runId, chunk.rejects, true)}),
    batch as (
      insert into run_batches (run_id, seq, batch_id, first_customer_id, last_customer_id, contact_count, next_poll_at)
      select ${runId}, coalesce(max(seq), 0) + 1, ${batchId}::text, ${chunk.firstCustomerId}, ${chunk.lastCustomerId}, ${sent.length},
        now() + ${batch?.firstPollInMs ?? 0} * interval '1 millisecond'
      from run_batches where run_id = ${runId}
      having ${batchId}::text is not null and exists (select 1 from claimed)),
    pushed as (
      insert into export_contacts (export_id, customer_id, email, content_hash, state, pushed_run_id, updated_at)
      select ${exportId}, c.customer_id, c.email, c.hash, 'member', ${runId}, now()
      from unnest(${sent.map((c) => c.customerId)}::text[], ${sent.map((c) => c.contact.email)}::text[],
        ${sent.map((c) => c.hash)}::text[]) as c(customer_id, email, hash)
      where exists (select 1 from claimed)
      on conflict (export_id, customer_id) do update set email = excluded.email, content_hash = excluded.content_hash,
        state = 'member', pushed_run_id = excluded.pushed_run_id, skip_reason = null, updated_at = now(),
        failed_attempts = case when export_contacts.content_hash = excluded.content_hash
          then export_contacts.failed_attempts else 0 end)
    update export_runs set cursor = ${chunk.lastCustomerId}, sent_count = sent_count + ${sent.length},
      added_count = added_count + ${added}, updated_count = updated_count + ${sent.length - added},
      unchanged_count = unchanged_count + ${chunk.unchanged}, rejected_count = rejected_count + (select count(*) from rejected)
    where id in (select id from claimed)
    returning 1`;
  return recorded.length > 0;
}

export type PendingBatch = {
  seq: number;
  batchId: string;
  firstCustomerId: string;
  lastCustomerId: string;
  contactCount: number;
  ageMs: number;
};

/** Unfinished batches due for a poll, oldest first, none behind an older one that is waiting. */
export async function duePendingBatches(sql: Sql, runId: string, limit: number): Promise<PendingBatch[]> {
  return sql<PendingBatch[]>`
    select seq, batch_id as "batchId", first_customer_id as "firstCustomerId", last_customer_id as "lastCustomerId",
      contact_count as "contactCount", (extract(epoch from now() - accepted_at) * 1000)::float8 as "ageMs"
    from run_batches where run_id = ${runId} and completed_at is null and next_poll_at <= now()
      and seq < coalesce((select min(seq) from run_batches
        where run_id = ${runId} and completed_at is null and next_poll_at > now()), 2147483647)
    order by seq limit ${limit}`;
}

/** Unfinished batches, and when the oldest is due: the ones behind it wait for it (duePendingBatches). */
export async function pendingBatchStats(
  sql: Sql,
  runId: string,
): Promise<{ pending: number; nextPollInMs: number }> {
  const [row] = await sql<[{ pending: number; nextPollInMs: number | null }]>`
    select count(*)::int as pending,
      greatest(0, extract(epoch from (array_agg(next_poll_at order by seq))[1] - now()) * 1000)::float8 as "nextPollInMs"
    from run_batches where run_id = ${runId} and completed_at is null`;
  return { pending: row.pending, nextPollInMs: row.nextPollInMs ?? 0 };
}

export async function postponeBatch(sql: Sql, runId: string, seq: number, ms: number): Promise<void> {
  await sql`update run_batches set next_poll_at = now() + ${ms} * interval '1 millisecond' where run_id = ${runId} and seq = ${seq}`;
}

/**
 * Completes a batch once, in one statement: its failures become rejects. Transient ones are marked to be
 * pushed again next run; permanent refusals are skipped (their hash kept: not sent again until their data
 * changes); counted failures keep their hash and count an attempt, and the one that reaches
 * `maxAttempts` is skipped as REFUSED_REPEATEDLY. The run's counters move by what it reports.
 */
export async function recordImportResult(
  sql: Sql,
  run: { runId: string; exportId: string },
  batch: PendingBatch,
  failures: Reject[],
  maxAttempts: number,
): Promise<void> {
  const { runId, exportId } = run;
  const imported = batch.contactCount - failures.length;
  const skipped = failures.filter((f) => isPermanentRefusal(f.reason));
  const counted = failures.filter((f) => isCountedFailure(f.reason));
  const transient = failures.filter((f) => !isPermanentRefusal(f.reason) && !isCountedFailure(f.reason));
  await sql`
    with claimed as (
      update run_batches set completed_at = now(), success_count = ${imported}, failure_count = ${failures.length}
      where run_id = ${runId} and seq = ${batch.seq} and completed_at is null returning 1),
    failed as (${rejectRows(sql, runId, transient, true)}),
    refused as (${rejectRows(sql, runId, skipped, true)}),
    attempted as (
      update export_contacts ec set failed_attempts = ec.failed_attempts + 1, updated_at = now(),
        skip_reason = case when ec.failed_attempts + 1 >= ${maxAttempts} then 'REFUSED_REPEATEDLY' else c.reason end
      from unnest(${counted.map((f) => f.customerId)}::text[], ${counted.map((f) => f.reason)}::text[]) as c(customer_id, reason)
      where ec.export_id = ${exportId} and ec.customer_id = c.customer_id and exists (select 1 from claimed)
      returning ec.customer_id, ec.skip_reason, ec.email),
    attempted_rejects as (
      insert into run_rejects (run_id, customer_id, reason, email)
      select ${runId}, customer_id, skip_reason, email from attempted
      on conflict do nothing returning reason),
    retry_next_run as (
      update export_contacts set content_hash = null, updated_at = now()
      where export_id = ${exportId} and customer_id = any(${transient.map((f) => f.customerId)}::text[])
        and exists (select 1 from claimed)),
    kept_until_changed as (
      update export_contacts ec set skip_reason = s.reason, updated_at = now()
      from unnest(${skipped.map((f) => f.customerId)}::text[], ${skipped.map((f) => f.reason)}::text[]) as s(customer_id, reason)
      where ec.export_id = ${exportId} and ec.customer_id = s.customer_id and exists (select 1 from claimed))
    update export_runs set exported_count = exported_count + ${imported},
      failed_count = failed_count + (select count(*) from failed)
        + (select count(*) from attempted_rejects where reason <> 'REFUSED_REPEATEDLY'),
      skipped_count = skipped_count + (select count(*) from refused)
        + (select count(*) from attempted_rejects where reason = 'REFUSED_REPEATEDLY')
    where id = ${runId} and exists (select 1 from claimed)`;
}

/**
 * Replaces a failed batch by the imports of its halves, in one statement, once: the parent is completed
 * without moving the run's counters (its halves report its contacts), the halves become pending batches.
 * Contacts the halves could not send (refused on validation) fail: pushed again next run.
 */
export async function recordSplit(
  sql: Sql,
  run: { runId: string; exportId: string },
  parent: PendingBatch,
  halves: Array<{ batchId: string; firstCustomerId: string; lastCustomerId: string; contactCount: number }>,
  unsent: Reject[],
  firstPollInMs: number,
): Promise<void> {
  const { runId, exportId } = run;
  await sql`
    with claimed as (
      update run_batches set completed_at = now(), success_count = 0, failure_count = 0
      where run_id = ${runId} and seq = ${parent.seq} and completed_at is null returning 1),
    halves as (
      insert into run_batches (run_id, seq, batch_id, first_customer_id, last_customer_id, contact_count, next_poll_at, split_of)
      select ${runId}, (select max(seq) from run_batches where run_id = ${runId}) + h.n, h.batch_id, h.first_id, h.last_id,
        h.contact_count, now() + ${firstPollInMs} * interval '1 millisecond', ${parent.seq}
      from unnest(${halves.map((h) => h.batchId)}::text[], ${halves.map((h) => h.firstCustomerId)}::text[],
        ${halves.map((h) => h.lastCustomerId)}::text[], ${halves.map((h) => h.contactCount)}::int[])
        with ordinality as h(batch_id, first_id, last_id, contact_count, n)
      where exists (select 1 from claimed)),
    failed as (${rejectRows(sql, runId, unsent, true)}),
    retry_next_run as (
      update export_contacts set content_hash = null, updated_at = now()
      where export_id = ${exportId} and customer_id = any(${unsent.map((f) => f.customerId)}::text[])
        and exists (select 1 from claimed))
    update export_runs set failed_count = failed_count + (select count(*) from failed)
    where id = ${runId} and exists (select 1 from claimed)`;
}

/** Imports this run has sent to split failed ones. */
export async function splitImportCount(sql: Sql, runId: string): Promise<number> {
  const [row] = await sql<[{ n: number }]>`
    select count(*)::int as n from run_batches where run_id = ${runId} and split_of is not null`;
  return row.n;
}

/** Takes up to `wanted` failure lookups from the run's budget of `max`; returns how many it got. */
export async function takeFailureLookups(
  sql: Sql,
  runId: string,
  wanted: number,
  max: number,
): Promise<number> {
  if (wanted <= 0) return 0;
  const [row] = await sql<[{ granted: number }?]>`
    with before as (select failure_lookups from export_runs where id = ${runId} for update)
    update export_runs r set failure_lookups = r.failure_lookups + least(${wanted}, greatest(${max} - b.failure_lookups, 0))
    from before b where r.id = ${runId}
    returning least(${wanted}, greatest(${max} - b.failure_lookups, 0))::int as granted`;
  return row?.granted ?? 0;
}

/** Completes batches ActiveCampaign imported without a failure, in one statement. */
export async function recordCleanImports(sql: Sql, runId: string, batches: PendingBatch[]): Promise<void> {
  if (!batches.length) return;
  await sql`
    with claimed as (
      update run_batches set completed_at = now(), success_count = contact_count, failure_count = 0
      where run_id = ${runId} and seq = any(${batches.map((b) => b.seq)}::int[]) and completed_at is null
      returning contact_count)
    update export_runs set exported_count = exported_count + (select sum(contact_count) from claimed)
    where id = ${runId} and exists (select 1 from claimed)`;
}
