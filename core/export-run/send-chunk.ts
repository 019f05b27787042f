import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import { isActiveCampaignError } from '../activecampaign/errors.ts';
import type { Pace } from '../activecampaign/rate-limiter.ts';
import type { Chunk } from './chunk-plan.ts';
import { type MappedField, refusalDetails } from './reject-details.ts';

/**
 * A profile whose email changed: rename its existing contact so the import updates it instead of
 * creating a second one. Skipped when the old contact is gone or the new email already has a contact.
 */
async function renameChangedEmails(client: ActiveCampaignClient, chunk: Chunk): Promise<void> {
  for (const { previousEmail, contact } of chunk.contacts) {
    if (!previousEmail) continue;
    const existing = await client.findContactByEmail(previousEmail);
    if (!existing || (await client.findContactByEmail(contact.email))) continue;
    await client.updateContactEmail(existing.id, contact.email);
  }
}

/**
 * Sends a chunk as one bulk import and returns its batch id (null if nothing was left to send).
 * Contacts ActiveCampaign names as invalid are moved to the chunk's rejects, with the field and value its
 * reason names (`fields`: the export's mapped custom fields), and the rest re-sent.
 * `pace`: when the import is one of a series (see pacing).
 */
export async function sendChunk(
  client: ActiveCampaignClient,
  listId: string,
  chunk: Chunk,
  pace?: Pace,
  excludeAutomations = false,
  fields: readonly MappedField[] = [],
): Promise<string | null> {
  await renameChangedEmails(client, chunk);
  for (let paced = pace; chunk.contacts.length; paced = undefined) {
    try {
      const contacts = chunk.contacts;
      return (
        await client.bulkImport(
          contacts.map((c) => c.contact),
          contacts.map((c) => c.json),
          paced,
          excludeAutomations,
        )
      ).batchId;
    } catch (error) {
      if (!isActiveCampaignError(error) || error.kind !== 'Validation') throw error;
      await client.getList(listId); // a deleted list fails every contact: surface it as ListNotFound
      // The index base is undocumented; ActiveCampaign's examples count from 1. An index of 0 can only
      // mean the answer counts from 0.
      const failures = (error.details.failures ?? []).flatMap((f) =>
        f.contact === undefined ? [] : [{ index: f.contact, reason: f.reason }],
      );
      const base = failures.some((f) => f.index === 0) ? 0 : 1;
      const named = new Map<number, string>();
      for (const f of failures) {
        const i = f.index - base;
        named.set(i, named.has(i) ? `${named.get(i)}; ${f.reason}` : f.reason);
      }
      // An answer naming no contact of this chunk (or none at all) would be resent for ever: it fails.
      if (!chunk.contacts.some((_, i) => named.has(i))) throw error;
      for (const [i, c] of chunk.contacts.entries()) {
        const reason = named.get(i);
        if (reason === undefined) continue;
        chunk.rejects.push({
          customerId: c.customerId,
          reason: 'REJECTED_BY_ACTIVECAMPAIGN',
          ...refusalDetails(reason, c.contact, fields),
        });
      }
      chunk.contacts = chunk.contacts.filter((_, i) => !named.has(i));
    }
  }
  return null;
}
