/**
 * ActiveCampaign's API URL as the API host the form wants: people paste `https://acme.api-us1.com/` or
 * `https://acme.api-us1.com/api/3`; the host is what is left without scheme, path and trailing slash.
 */
export function hostOf(pasted: string): string {
  const text = pasted.trim();
  const withoutScheme = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return withoutScheme.split(/[/?#]/)[0] ?? '';
}
