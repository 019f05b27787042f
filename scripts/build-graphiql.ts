import { buildGraphiql } from './lib/graphiql-build.ts';

const started = performance.now();
const manifest = await buildGraphiql();
console.log(
  `GraphiQL ${manifest.package} → dist/graphiql/${manifest.version} (${Object.keys(manifest.files).length} files, ` +
    `with .br and .gz) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
