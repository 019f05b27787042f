/**
 * A message without the data it may quote: drizzle appends a failed query's values ("params: …"), and
 * Postgres and libraries quote the input they refused (`invalid input syntax … "x@y.z"`).
 */
export function withoutQuotedData(message: string): string {
  const [text = ''] = message.split('\nparams:');
  if (text.startsWith('Failed query: ')) return text; // SQL with $n placeholders only
  return text.replace(/"[^"]*"|'[^']*'/g, '"…"').replace(/\S+@\S+/g, '…');
}

/** An error and its causes as class, code and message without data, then the thrown error's stack frames. */
export function withoutData(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const chain: Error[] = [];
  for (let e: unknown = value; e instanceof Error && chain.length < 5; ) {
    const original = (e as { originalError?: unknown }).originalError;
    if (!(original instanceof Error)) chain.push(e); // a GraphQLError only repeats its original's message
    e = original ?? e.cause;
  }
  const described = chain.map((e) => {
    const { code } = e as { code?: unknown };
    // Some classes (drizzle's DrizzleQueryError) leave `name` as "Error".
    const name = e.name === 'Error' ? e.constructor.name : e.name;
    return `${name}${typeof code === 'string' ? ` ${code}` : ''}: ${withoutQuotedData(e.message)}`;
  });
  const frames = (chain[0]?.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return [described.join(' ← '), ...frames].join('\n');
}
