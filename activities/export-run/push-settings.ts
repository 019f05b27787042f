/** Rows a push reads at once (the next read overlaps with sending these); duplicates are found within them. */
export const readAheadRows = 2_000;
