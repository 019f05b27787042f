import type { CombinedError } from 'urql';

/**
 * What each of the API's error codes (the SDL's `ErrorCode`; test/console/codegen.test.ts checks every one is
 * here) means to the person at the console, when its message alone would not say.
 */
export const errorSentences = {
  BAD_REQUEST: 'The console sent a request the API could not read. Reload the page and try again.',
  BAD_USER_INPUT: 'Please correct the form.',
  CONFLICT: 'Someone changed this at the same time. Reload and try again.',
  FORBIDDEN: 'Your role does not allow this. Ask an administrator.',
  GRAPHQL_PARSE_FAILED: 'The console sent a request the API could not read. Reload the page.',
  GRAPHQL_VALIDATION_FAILED: 'This console is older than the API. Reload the page.',
  INTERNAL_SERVER_ERROR:
    'Something went wrong on the server. Try again; if it persists, tell your administrator.',
  NOT_FOUND: 'This no longer exists: it may have been removed.',
  OPERATION_RESOLUTION_FAILURE: 'The console sent a request the API could not read. Reload the page.',
  QUERY_TOO_COSTLY: 'That asks for too much at once. Show fewer rows.',
  REQUEST_ENTITY_TOO_LARGE: 'That is too much to send at once.',
  TIMEOUT: 'That took too long and was stopped. Try again later.',
  TOO_MANY_REQUESTS: 'Too many requests just now. Wait a minute and try again.',
  UNAUTHENTICATED: 'Your token is not valid (any more). Sign in again.',
  UPSTREAM_ERROR: 'ActiveCampaign could not be reached or refused the request.',
} satisfies Record<string, string>;

export type ErrorCode = keyof typeof errorSentences;

export type Problem = { sentence: string; field?: string; code?: ErrorCode };

/**
 * An API error as a sentence: the API's own message where it is written for people (input and
 * ActiveCampaign errors), the code's sentence otherwise.
 */
export function problemOf(error: CombinedError): Problem {
  if (error.networkError && !error.graphQLErrors.length)
    return { sentence: 'Outbound cannot be reached. Check your network and try again.' };
  const first = error.graphQLErrors[0];
  const code = first?.extensions?.code as ErrorCode | undefined;
  const field = first?.extensions?.field as string | undefined;
  const known = code && code in errorSentences ? errorSentences[code] : undefined;
  const ownWords =
    code === 'BAD_USER_INPUT' || code === 'UPSTREAM_ERROR' || code === 'CONFLICT' || code === 'TIMEOUT';
  const sentence = ownWords && first?.message ? first.message : (known ?? first?.message ?? 'Unknown error.');
  return { sentence, field, code };
}
