/**
 * Reasons a contact is skipped: not sent again until its data changes. UNSUBSCRIBED is learnt from the
 * contact's list status, REFUSED_REPEATEDLY after too many failures with the same data. EXCLUDED and
 * CONTACT_LIMIT were read from undocumented reason texts by earlier versions: no longer recorded, still
 * read as skipped where stored.
 */
export type PermanentRefusal = 'UNSUBSCRIBED' | 'REFUSED_REPEATEDLY' | 'EXCLUDED' | 'CONTACT_LIMIT';

export const permanentRefusalReasons: readonly PermanentRefusal[] = [
  'UNSUBSCRIBED',
  'REFUSED_REPEATEDLY',
  'EXCLUDED',
  'CONTACT_LIMIT',
];

const permanentRefusals: ReadonlySet<string> = new Set<string>(permanentRefusalReasons);

export const isPermanentRefusal = (reason: string): reason is PermanentRefusal =>
  permanentRefusals.has(reason);

/**
 * Failures retried with unchanged data, each counting an attempt: NOT_CREATED (the contact does not exist
 * after its import: excluded, over the contact limit or refused otherwise; ActiveCampaign does not say
 * which) and IMPORT_FAILED_ALONE (an import of this contact alone ended failed). After the maximum
 * attempts the contact is skipped as REFUSED_REPEATEDLY.
 */
export type CountedFailure = 'NOT_CREATED' | 'IMPORT_FAILED_ALONE';

const countedFailures: ReadonlySet<string> = new Set<CountedFailure>(['NOT_CREATED', 'IMPORT_FAILED_ALONE']);

export const isCountedFailure = (reason: string): reason is CountedFailure => countedFailures.has(reason);

/** Attempts a contact gets with unchanged data (OUTBOUND_MAX_CONTACT_ATTEMPTS). */
export const defaultMaxContactAttempts = 3;
