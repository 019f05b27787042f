import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../../db/migrate.ts';
import { ensureConsoleBuilt } from '../../scripts/lib/console-build.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { startTemporalDevServer } from '../../scripts/lib/temporal-cli.ts';
import { ensureChromium } from './browser.ts';
import { databaseUrl, dropTestDatabases, newTestRunPrefix, withAdminSql } from './database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testRunPrefix: string;
    temporalAddress: string;
    workflowBundlePath: string;
    chromiumPath: string;
  }
}

/**
 * Once per `vitest` run: a migrated template database, a Temporal dev server, the workflow bundle, the
 * console's build (when missing or stale) and a Chromium for the browser tests (installed when missing).
 */
export default async function setup(project: TestProject) {
  const prefix = newTestRunPrefix();
  await dropTestDatabases(prefix);
  await withAdminSql((sql) => sql.unsafe(`create database ${prefix}_template`));
  await runMigrations(databaseUrl(`${prefix}_template`));
  project.provide('testRunPrefix', prefix);

  const temporal = await startTemporalDevServer({ port: await freePort() });
  project.provide('temporalAddress', temporal.address);

  const { code } = await bundleWorkflowCode({
    workflowsPath: new URL('../../workflows/index.ts', import.meta.url).pathname,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'outbound-bundle-')), 'workflows.js');
  await import('node:fs/promises').then((fs) => fs.writeFile(bundlePath, code));
  project.provide('workflowBundlePath', bundlePath);

  await ensureConsoleBuilt();
  project.provide('chromiumPath', ensureChromium());

  return async () => {
    await temporal.stop();
    await dropTestDatabases(prefix);
  };
}
