import { GraphQLError } from 'graphql';
import { maskError, type Plugin } from 'graphql-yoga';

/**
 * The codes resolvers throw, with when: each expected failure carries `extensions.code` (and `field`
 * for input errors); anything else is masked. The SDL's ErrorCode enum lists these and `requestErrorCodes`.
 */
export const errorCodes = {
  UNAUTHENTICATED: 'No valid `Authorization: Bearer <token>` header; every field but `viewer` needs one.',
  FORBIDDEN:
    'The signed-in user’s role does not allow this, or the connection is open to admins only (not to contributors).',
  NOT_FOUND: 'No object with this id, or it was deleted.',
  BAD_USER_INPUT:
    'An argument or input field is invalid (`extensions.field` names it: an input path, `first`, `after`, ...), or a variable does not fit its type.',
  CONFLICT:
    'The request clashes with the current state: the export already has an active run, its connection was deleted, a user with this email exists, a user removal that would remove yourself or the last admin, or a concurrent change; read again and retry.',
  TOO_MANY_REQUESTS:
    'A limit on the caller is reached: too many open subscriptions (close some), too many runs queued or running for the user or the connection (`extensions.cap` names the variable: wait for one to finish), or too many failed authentications from this address (HTTP 429, wait for Retry-After).',
  TIMEOUT:
    'Work stopped at its time limit (a segment refresh) and nothing of it was kept; simplify and retry.',
  UPSTREAM_ERROR:
    'ActiveCampaign refused a live check (key, host, list, fields) or a live read (a connection’s lists, fields, tags), or could not be reached; or a source’s database refused or could not be reached when a source was checked; `extensions.field` names the input at fault when there is one.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** The codes graphql-yoga, graphql-armor and the request body limit give errors before any resolver runs. */
export const requestErrorCodes = {
  GRAPHQL_PARSE_FAILED: 'The document is not GraphQL, or has more tokens than the limit (HTTP 400).',
  GRAPHQL_VALIDATION_FAILED:
    'The document does not fit the schema, or is deeper, costlier or has more aliases than the limits (HTTP 400).',
  QUERY_TOO_COSTLY:
    'The operation could return more than the cost limit allows: lists are priced at their `first` (variables at the values given, 20 when omitted), `previewExport` at the dry run it does (two per request at most); ask for smaller pages (HTTP 200, no data).',
  OPERATION_RESOLUTION_FAILURE: 'operationName names no operation of the document (HTTP 400).',
  BAD_REQUEST:
    'Not a GraphQL request: no query, malformed JSON or Content-Length, or a mutation over GET (HTTP 400 or 405).',
  REQUEST_ENTITY_TOO_LARGE: 'The request body is over 2 MB (HTTP 413).',
  INTERNAL_SERVER_ERROR:
    'Anything unexpected: the message is "Unexpected error."; the details are only in the server log.',
} as const;

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
  const expected = error as Error & { originalError?: Error; extensions?: Record<string, unknown> };
  // Rewritten in place: returning a new error would make yoga log the original, input value included.
  expected.message = withoutInputValues(expected.message, expected.originalError?.message);
  // graphql-js gives variables that do not fit their type no code (yoga adds one to subscriptions only).
  if (expected.extensions && !expected.extensions.code && expected.message.startsWith('Variable "$')) {
    expected.extensions.code = 'BAD_USER_INPUT';
  }
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
