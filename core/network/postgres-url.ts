/**
 * A database URL as given, if it is a URL with the postgres: or postgresql: scheme; otherwise the error
 * `refuse` makes of the reason (`expected` is the example shown when it is no URL at all).
 */
export function parsePostgresUrl(
  databaseUrl: string,
  refuse: (reason: string) => Error,
  expected: string,
): URL {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw refuse(`The database URL is not a URL: expected ${expected}.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw refuse('The database URL must start with postgres:// or postgresql://.');
  }
  return url;
}
