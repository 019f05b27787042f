import { builder } from './builder.ts';
import { errorCodes, requestErrorCodes } from './errors.ts';

/**
 * Every `extensions.code` an error of this API can carry, for clients to switch on. No field returns
 * it: errors are in the response's `errors`, not in `data`.
 */
builder.enumType('ErrorCode', {
  description:
    'The `extensions.code` of every error this API returns. Errors of resolvers may also carry `extensions.field`.',
  values: Object.fromEntries(
    Object.entries({ ...errorCodes, ...requestErrorCodes }).map(([code, description]) => [
      code,
      { description },
    ]),
  ),
});
