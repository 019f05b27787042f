import type { MappedContact, MappedProfile, RejectReason } from './contact-mapper.ts';
import type { RejectDetails } from './reject-details.ts';

/** ActiveCampaign's documented bulk import limits: ≤ 250 contacts and < 400,000 bytes per request. */
export const maxContactsPerImport = 250;
export const maxImportBytes = 400_000 - 1_000;

/** The request around the contacts: `{"contacts":[…],"exclude_automations":false}`. */
const emptyImportBytes = 100;

export type Reject = { customerId: string; reason: RejectReason } & RejectDetails;

/**
 * A contiguous keyset range of the snapshot: the new and changed contacts of one bulk import, and
 * the profiles in between that are not sent (rejected or unchanged). Recording a chunk moves the
 * run's cursor to `lastCustomerId`.
 */
export type Chunk = {
  firstCustomerId: string;
  lastCustomerId: string;
  contacts: MappedContact[];
  rejects: Reject[];
  unchanged: number;
  /** Of the unchanged, those ActiveCampaign refused for good on an earlier push. */
  skipped: number;
};

/** The size of a request of these contacts, as planChunks counts it. */
function requestBytes(contacts: MappedContact[]): number {
  return contacts.reduce((bytes, c) => bytes + Buffer.byteLength(c.json) + 1, emptyImportBytes);
}

/**
 * Splits a read batch into chunks (one per bulk import) by count and bytes; of two profiles with one
 * email, the later wins. `continued`: the previous read batch's last chunk, still open; the read batch
 * goes on filling it (a copy), so changes spread thinly over many read batches still make full imports.
 * A contact whose email the continued chunk already holds starts a new chunk: one import never holds
 * an email twice, and the later profile is sent after the earlier, as it would be in separate imports.
 */
export function planChunks(
  readBatch: MappedProfile[],
  limits = { contacts: maxContactsPerImport, bytes: maxImportBytes },
  continued?: Chunk,
): Chunk[] {
  const lastIndexOfEmail = new Map<string, number>();
  readBatch.forEach((p, i) => {
    if ('contact' in p) lastIndexOfEmail.set(p.contact.email.toLowerCase(), i);
  });
  const chunks: Chunk[] = [];
  let chunk: Chunk | undefined = continued && {
    ...continued,
    contacts: [...continued.contacts],
    rejects: [...continued.rejects],
  };
  let bytes = chunk ? requestBytes(chunk.contacts) : 0;
  let earlierEmails = new Set(chunk?.contacts.map((c) => c.contact.email.toLowerCase()));
  readBatch.forEach((p, i) => {
    const superseded = 'contact' in p && lastIndexOfEmail.get(p.contact.email.toLowerCase()) !== i;
    const sent = 'contact' in p && !superseded && p.change !== 'unchanged';
    const size = sent ? Buffer.byteLength(p.json) + 1 : 0;
    // ActiveCampaign would refuse such a request without naming the contact: it is never sent.
    const tooLarge = size + emptyImportBytes > limits.bytes;
    if (
      chunk &&
      sent &&
      !tooLarge &&
      (chunk.contacts.length >= limits.contacts ||
        bytes + size > limits.bytes ||
        earlierEmails.has(p.contact.email.toLowerCase()))
    ) {
      chunks.push(chunk);
      chunk = undefined;
      earlierEmails = new Set();
    }
    if (!chunk) {
      chunk = {
        firstCustomerId: p.customerId,
        lastCustomerId: p.customerId,
        contacts: [],
        rejects: [],
        unchanged: 0,
        skipped: 0,
      };
      bytes = emptyImportBytes;
    }
    chunk.lastCustomerId = p.customerId;
    if ('reject' in p) chunk.rejects.push({ customerId: p.customerId, reason: p.reject, ...p.details });
    else if (superseded)
      chunk.rejects.push({ customerId: p.customerId, reason: 'DUPLICATE_EMAIL', email: p.contact.email });
    else if (tooLarge)
      chunk.rejects.push({ customerId: p.customerId, reason: 'CONTACT_TOO_LARGE', email: p.contact.email });
    else if (!sent) {
      chunk.unchanged++;
      if ('contact' in p && p.skipReason) chunk.skipped++;
    } else {
      chunk.contacts.push(p);
      bytes += size;
    }
  });
  if (chunk) chunks.push(chunk);
  return chunks;
}
