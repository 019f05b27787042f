/** Postgres text and jsonb hold neither NUL characters nor a UTF-16 surrogate without its pair. */
export const isStorableText = (s: string): boolean => !s.includes('\u0000') && !/\p{Cs}/u.test(s);
