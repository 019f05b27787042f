import { GraphQLError } from 'graphql';

/** Expected failures: each carries `extensions.code` (and `field` for input errors); anything else is masked. */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'UPSTREAM_ERROR';

export function apiError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (field: string, message: string) => apiError('BAD_USER_INPUT', message, { field });
export const notFound = (what: string, id: string) => apiError('NOT_FOUND', `No ${what} with id ${id}.`);
export const forbidden = (message: string) => apiError('FORBIDDEN', message);
export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  apiError('CONFLICT', message, extensions);
export const upstream = (message: string) => apiError('UPSTREAM_ERROR', message);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else cannot exist, and must not reach Postgres as a cast error. */
export function isUuid(id: string): boolean {
  return uuidPattern.test(id);
}
