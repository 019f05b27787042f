/** Bundles workflows/ for the worker into the file given (run as its own process: webpack is memory-hungry). */
import { writeFile } from 'node:fs/promises';
import { bundleWorkflows } from './lib/workflow-bundle.ts';

const [outputPath] = process.argv.slice(2);
if (!outputPath) throw new Error('usage: bundle-workflows.ts <output.js>');
await writeFile(outputPath, await bundleWorkflows());
