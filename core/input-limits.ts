/**
 * The longest text each named input may be, in characters: the API refuses longer (BAD_USER_INPUT naming
 * the field) and the console's fields stop there. Imported by both, so they cannot disagree.
 */
export const inputLimits = {
  connectionName: 100,
  exportName: 100,
  segmentName: 100,
  sourceName: 100,
  tokenName: 100,
  tagName: 100,
  channelName: 200,
} as const;

export const tooLong = (limit: number) => `Enter a name of 1 to ${limit} characters.`;
