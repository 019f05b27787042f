const forbiddenInLocalPart = /["(),:;<>@[\\\]]/;
const domainEnding = /\.[A-Za-z]{2,}$/;

/** The rules ActiveCampaign's bulk import applies: an email failing them would reject the whole request. */
export function isValidEmail(email: string): boolean {
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@')) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return !forbiddenInLocalPart.test(local) && domainEnding.test(domain) && !/\s/.test(email);
}
