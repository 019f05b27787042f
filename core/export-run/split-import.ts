import type { Chunk, Reject } from './chunk-plan.ts';
import type { MappedContact } from './contact-mapper.ts';
import type { ImportPollerOptions } from './import-poller.ts';
import { type PendingBatch, recordImportResult, recordSplit, splitImportCount } from './run-store.ts';
import { sendChunk } from './send-chunk.ts';
import { sentContactsOfBatch } from './sent-contacts.ts';

/**
 * Imports a run may send to isolate the cause of failed ones: a failed import of 250 costs about 16 to
 * find one culprit (two halves a level), so this finds a few within a minute of the bulk import budget.
 */
export const maxSplitImportsPerRun = 100;

function chunkOf(contacts: MappedContact[]): Chunk | undefined {
  const [first] = contacts;
  const last = contacts.at(-1);
  if (!first || !last) return undefined;
  return {
    firstCustomerId: first.customerId,
    lastCustomerId: last.customerId,
    contacts,
    rejects: [],
    unchanged: 0,
    skipped: 0,
  };
}

/**
 * An import that ended `failed` or `interrupted` (ActiveCampaign says nothing of why; its staff say
 * resubmitting is generally safe): its contacts are resubmitted as two halves, each polled and split
 * in turn, so one contact that fails an import costs only itself. A single contact whose import failed
 * is a counted failure (IMPORT_FAILED_ALONE); past the run's split budget the contacts fail as a whole
 * (IMPORT_FAILED) and are sent again next run.
 * Re-sending is safe for contact data (upsert by email); a crash between sending and recording the
 * halves makes the next attempt send them again.
 */
export async function splitFailedImport(options: ImportPollerOptions, batch: PendingBatch): Promise<void> {
  const { sql, run, client } = options;
  const contacts = await sentContactsOfBatch(options, batch);
  const failAll = (reason: Reject['reason']) =>
    recordImportResult(
      sql,
      run,
      batch,
      contacts.map((c) => ({ customerId: c.customerId, reason, email: c.contact.email })),
      options.maxContactAttempts,
    );
  if (contacts.length === 1) return failAll('IMPORT_FAILED_ALONE');
  if (contacts.length === 0 || (await splitImportCount(sql, run.runId)) + 2 > maxSplitImportsPerRun)
    return failAll('IMPORT_FAILED');
  const middle = Math.ceil(contacts.length / 2);
  const halves: Parameters<typeof recordSplit>[3] = [];
  const unsent: Reject[] = [];
  for (const part of [contacts.slice(0, middle), contacts.slice(middle)]) {
    const chunk = chunkOf(part);
    if (!chunk) continue;
    const batchId = await sendChunk(client, run.listId, chunk, undefined, run.excludeAutomations, run.fields);
    unsent.push(...chunk.rejects);
    if (batchId)
      halves.push({
        batchId,
        firstCustomerId: chunk.firstCustomerId,
        lastCustomerId: chunk.lastCustomerId,
        contactCount: chunk.contacts.length,
      });
  }
  await recordSplit(sql, run, batch, halves, unsent, options.pollIntervalMs);
}
