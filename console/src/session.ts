/** The API token is kept for this tab's session only (sessionStorage), never in localStorage or a cookie. */
const key = 'outbound.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(key),
  signIn: (token: string) => sessionStorage.setItem(key, token),
  signOut: () => sessionStorage.removeItem(key),
};
