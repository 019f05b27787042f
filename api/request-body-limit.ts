import { createGraphQLError, type Plugin } from 'graphql-yoga';

const tooLarge = () =>
  createGraphQLError('Request body too large', {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });

const invalidLength = () =>
  createGraphQLError('Content-Length header is invalid.', {
    extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
  });

/** The body, refused as soon as more than `limit` bytes of it have arrived. */
async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Refuses request bodies over `limit` bytes with 413 before GraphQL parses them. A declared
 * Content-Length is checked up front, and the HTTP server's framing holds the body to it; only a body
 * without one (chunked) is counted as it arrives. Yoga's own `maxRequestBodySize` pipes every body
 * through a counting stream, which cost ~5% of the API's CPU per request.
 */
export function requestBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!/^\d+$/.test(declared)) throw invalidLength();
        if (Number(declared) > limit) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser(async (chunked) => {
        const body = await readAtMost(chunked.body as ReadableStream<Uint8Array>, limit);
        const { url, method, headers, signal } = chunked;
        return parse(new fetchAPI.Request(url, { method, headers, signal, body }));
      });
    },
  };
}
