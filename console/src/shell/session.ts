/** The API token is kept for this tab's session only (sessionStorage), never in localStorage or a cookie. */
const key = 'outbound.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(key),
  signIn: (token: string) => sessionStorage.setItem(key, token),
  signOut: () => sessionStorage.removeItem(key),
};

/** `npm run dev` prints the console's address with the dev token after `#token=`: taken once, then removed. */
export function takeTokenFromAddress(): void {
  const match = /^#token=([^&]+)$/.exec(location.hash);
  if (!match?.[1]) return;
  session.signIn(decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}#/connections`);
}
