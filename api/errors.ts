import { GraphQLError } from 'graphql';
import { maskError, type Plugin } from 'graphql-yoga';

/** Expected failures: each carries `extensions.code` (and `field` for input errors); anything else is masked. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'UPSTREAM_ERROR'
  /** Work stopped at its time limit (a segment refresh), nothing of it kept. */
  | 'TIMEOUT';

export function apiError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (field: string, message: string) => apiError('BAD_USER_INPUT', message, { field });
export const notFound = (what: string, id: string) => apiError('NOT_FOUND', `No ${what} with id ${id}.`);
export const forbidden = (message: string) => apiError('FORBIDDEN', message);
export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  apiError('CONFLICT', message, extensions);
export const upstream = (message: string, extensions: Record<string, unknown> = {}) =>
  apiError('UPSTREAM_ERROR', message, extensions);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else cannot exist, and must not reach Postgres as a cast error. */
export function isUuid(id: string): boolean {
  return uuidPattern.test(id);
}

const valueTail = /(cannot represent[^:]*|Expected value of type "[^"]*")(?::|, found) [\s\S]*$/;
const invalidVariable = /^(Variable "\$\w+") got invalid value /;
const variablePath = / at "(\w+(?:\.\w+|\[\d+\])*)"$/;

/**
 * graphql-js quotes rejected input values in its messages (a whole `CreateConnectionInput`, API key
 * included, when one field is missing). Keeps the variable, path and reason; drops the value.
 */
export function withoutInputValues(message: string, reason?: string): string {
  const variable = invalidVariable.exec(message);
  if (!variable) return message.replace(valueTail, '$1.');
  const prefix = reason && message.endsWith(`; ${reason}`) ? message.slice(0, -reason.length - 2) : '';
  const path = variablePath.exec(prefix)?.[1];
  const why = reason && prefix ? `: ${reason.replace(valueTail, '$1.')}` : '.';
  return `${variable[1]} got an invalid value${path ? ` at "${path}"` : ''}${why}`;
}

/** yoga's maskError: unexpected errors become "Unexpected error." (logged without data); expected ones lose echoed input. */
export function maskUnexpected(error: unknown, message: string): Error {
  const masked = maskError(error, message, false);
  if (masked !== error) return masked;
  const expected = error as Error & { originalError?: Error };
  // Rewritten in place: returning a new error would make yoga log the original, input value included.
  expected.message = withoutInputValues(expected.message, expected.originalError?.message);
  return expected;
}

/** Validation errors bypass maskError: a literal of the wrong type (`apiKey: 1234…`) is quoted in them too. */
export const validationErrorsWithoutValues: Plugin = {
  onValidate:
    () =>
    ({ result }) => {
      for (const error of result) error.message = withoutInputValues(error.message);
    },
};
