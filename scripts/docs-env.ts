// Writes the environment table of docs/configuration.md from scripts/environment.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { withEnvironmentTable } from './environment.ts';

const path = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(path, withEnvironmentTable(readFileSync(path, 'utf8')));
console.log('docs/configuration.md: environment table written');
