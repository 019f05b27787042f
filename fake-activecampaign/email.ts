/**
 * The documented rules that make ActiveCampaign's bulk import reject an email (activecampaign-api.md):
 * empty local part; any of `" ( ) , : ; < > @ [ \ ]` in the local part; not exactly one `@`;
 * a domain that does not end with `.` followed by at least two letters. Nothing more, nothing less.
 */
const forbiddenInLocalPart = /["(),:;<>@[\\\]]/;
const domainEnding = /\.[A-Za-z]{2,}$/;

export function isValidEmail(email: string): boolean {
  const at = email.indexOf('@');
  if (at <= 0 || email.indexOf('@', at + 1) !== -1) return false;
  if (forbiddenInLocalPart.test(email.slice(0, at))) return false;
  return domainEnding.test(email.slice(at + 1));
}
