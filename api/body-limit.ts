/** Refuses request bodies over `maxBytes` (413) before GraphQL parses them, with or without Content-Length. */
export function withBodyLimit(
  handler: (request: Request) => Promise<Response> | Response,
  maxBytes: number,
): (request: Request) => Promise<Response> {
  const tooLarge = () =>
    Response.json(
      {
        errors: [{ message: `Request body over ${maxBytes} bytes.`, extensions: { code: 'BAD_USER_INPUT' } }],
      },
      { status: 413 },
    );
  return async (request) => {
    if (!request.body) return handler(request);
    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    if (declared > maxBytes) return tooLarge();
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return handler(
      new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body,
        signal: request.signal,
      }),
    );
  };
}
