import { badInput } from './errors.ts';

/** A token's expiry as typed: none, or a moment in the future. */
export function checkedExpiry(expiresAt: Date | null | undefined, field: string): Date | null {
  if (!expiresAt) return null;
  if (expiresAt.getTime() <= Date.now()) throw badInput(field, 'The expiry must be in the future.');
  return expiresAt;
}
