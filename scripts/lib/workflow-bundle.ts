import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import { projectRoot } from './temporal-cli.ts';

/** Bundles workflows/ with the SDK's webpack, in this process; returns the bundle's code. */
export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(projectRoot, 'workflows/index.ts'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  return code;
}

/**
 * Bundles the workflow code in a short-lived child process and returns the bundle's path, so the
 * worker itself never holds webpack (its peak memory stays that of exporting).
 */
export async function bundleWorkflowsInChildProcess(): Promise<string> {
  const outputPath = join(mkdtempSync(join(tmpdir(), 'outbound-workflows-')), 'workflows.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bundle-workflows.ts', outputPath], {
      cwd: projectRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`bundling workflows failed (exit ${code})`)),
    );
  });
  return outputPath;
}

/**
 * The worker's workflow bundle: the prebuilt one when given (the tests', the one the replay test
 * covers); else on Node bundled in a child process, on Deno in this process and kept in memory, so
 * the Deno worker needs neither --allow-run nor --allow-write.
 */
export async function workerWorkflowBundle(prebuiltPath?: string): Promise<WorkflowBundleOption> {
  if (prebuiltPath) return { codePath: prebuiltPath };
  if ('Deno' in globalThis) return { code: await bundleWorkflows() };
  return { codePath: await bundleWorkflowsInChildProcess() };
}
