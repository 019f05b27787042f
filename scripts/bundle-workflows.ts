/** Bundles workflows/ for the worker into the file given (run as its own process: webpack is memory-hungry). */
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';

const [outputPath] = process.argv.slice(2);
if (!outputPath) throw new Error('usage: bundle-workflows.ts <output.js>');
const { code } = await bundleWorkflowCode({
  workflowsPath: new URL('../workflows/index.ts', import.meta.url).pathname,
  logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
});
await writeFile(outputPath, code);
