import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './temporal-cli.ts';

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
