import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import type { RejectReason } from './contact-mapper.ts';

/** Failed contacts a run looks up to learn why (up to 2 requests each): about 100 s of the account's budget. */
export const maxFailureLookupsPerRun = 250;

/**
 * Why ActiveCampaign did not import a contact, learnt through documented calls, as import/info names
 * failed emails without a reason: no contact with the email → NOT_CREATED; unsubscribed (status 2)
 * from the export's list → UNSUBSCRIBED; otherwise IMPORT_FAILED (it exists and is not unsubscribed:
 * nothing documented tells more). Each request waits for the account's rate budget like any other.
 */
export async function classifyFailedEmail(
  client: ActiveCampaignClient,
  listId: string,
  email: string,
): Promise<RejectReason> {
  const contact = await client.findContactByEmail(email);
  if (!contact) return 'NOT_CREATED';
  const lists = await client.contactLists(contact.id);
  const onList = lists.find((l) => l.list === listId);
  return onList?.status === 2 ? 'UNSUBSCRIBED' : 'IMPORT_FAILED';
}
