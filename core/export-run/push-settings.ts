/** Rows a push reads at once (the next read overlaps with sending these); duplicates are found within them. */
export const readAheadRows = 2_000;
/** Rows mapped between two yields to the event loop, so rate-limit slots and heartbeats stay on time. */
export const mapSliceRows = 100;
