/**
 * A GraphQL enum's values, in the order of `values` (a pgEnum's, exported by core), each with its
 * description: the values keep one spelling, and a value without a description does not compile.
 */
export function describedEnumValues<Value extends string>(
  values: readonly Value[],
  descriptions: Record<Value, string>,
): Record<Value, { description: string }> {
  return Object.fromEntries(values.map((value) => [value, { description: descriptions[value] }])) as Record<
    Value,
    { description: string }
  >;
}
