/**
 * Bundles workflows/ for the worker into the file given (run as its own process: webpack is
 * memory-hungry). `npm run build:workflows` writes dist/workflows.js, which production workers load
 * through OUTBOUND_WORKFLOW_BUNDLE instead of bundling at every start.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundleWorkflows } from './lib/workflow-bundle.ts';

const [outputPath] = process.argv.slice(2);
if (!outputPath) throw new Error('usage: bundle-workflows.ts <output.js>');
await mkdir(dirname(outputPath), { recursive: true });
await writeFile(outputPath, await bundleWorkflows());
