/** Reasons ActiveCampaign refuses a contact that a retry cannot change. */
export type PermanentRefusal = 'UNSUBSCRIBED' | 'EXCLUDED' | 'CONTACT_LIMIT';

export const permanentRefusalReasons: readonly PermanentRefusal[] = [
  'UNSUBSCRIBED',
  'EXCLUDED',
  'CONTACT_LIMIT',
];

const permanentRefusals: ReadonlySet<string> = new Set<string>(permanentRefusalReasons);

export const isPermanentRefusal = (reason: string): reason is PermanentRefusal =>
  permanentRefusals.has(reason);

/**
 * Classifies an import's failure reason text; undefined for anything else (or no reason given), which
 * stays a transient failure. The texts are not documented: matched loosely.
 */
export function permanentRefusalOf(reason: string | undefined): PermanentRefusal | undefined {
  if (!reason) return undefined;
  if (/exclu/i.test(reason)) return 'EXCLUDED';
  if (/unsubscri/i.test(reason)) return 'UNSUBSCRIBED';
  if (/contact limit|plan limit|over .*limit/i.test(reason)) return 'CONTACT_LIMIT';
  return undefined;
}
