import type { CodegenConfig } from '@graphql-codegen/cli';

/** The console's typed operations, from the committed SDL (test/console/codegen.test.ts checks they are current). */
const config: CodegenConfig = {
  schema: 'api/schema.graphql',
  documents: ['console/src/**/*.{ts,tsx}', '!console/src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'console/src/gql/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        importExtension: '.ts',
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
