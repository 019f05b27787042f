import { createGraphQLError, type Plugin } from 'graphql-yoga';

const invalidJson = () =>
  createGraphQLError('The request is not valid JSON.', {
    extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
  });

/**
 * A body or `variables` parameter that is not JSON is refused without quoting it. Yoga puts the
 * parser's message in `extensions.originalError`, and V8's JSON.parse message quotes the text it
 * refused: a mistyped `createConnection` came back with its own API key.
 */
export const parseErrorsWithoutBody: Plugin = {
  onRequestParse({ requestParser, setRequestParser }) {
    if (!requestParser) return;
    const parse = requestParser;
    setRequestParser(async (request) => {
      try {
        return await parse(request);
      } catch (error) {
        const original = (error as { extensions?: { originalError?: unknown } }).extensions?.originalError;
        if (error instanceof SyntaxError || original !== undefined) throw invalidJson();
        throw error;
      }
    });
  },
};
