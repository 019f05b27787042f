import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../../db/migrate.ts';
import { ensureConsoleBuilt } from '../../scripts/lib/console-build.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { startTemporalDevServer } from '../../scripts/lib/temporal-cli.ts';
import { databaseUrl, dropTestDatabases, newTestRunPrefix, withAdminSql } from './database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testRunPrefix: string;
    temporalAddress: string;
    workflowBundlePath: string;
    chromiumPath: string;
  }
}

type Services = {
  testRunPrefix: string;
  temporalAddress: string;
  workflowBundlePath: string;
  stop(): Promise<void>;
};

/** A migrated template database, a Temporal dev server, the workflow bundle and the console's build (when missing or stale). */
async function startServices(): Promise<Services> {
  const prefix = newTestRunPrefix();
  await dropTestDatabases(prefix);
  await withAdminSql((sql) => sql.unsafe(`create database ${prefix}_template`));
  await runMigrations(databaseUrl(`${prefix}_template`));

  const temporal = await startTemporalDevServer({ port: await freePort() });

  const { code } = await bundleWorkflowCode({
    workflowsPath: new URL('../../workflows/index.ts', import.meta.url).pathname,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'outbound-bundle-')), 'workflows.js');
  await import('node:fs/promises').then((fs) => fs.writeFile(bundlePath, code));

  await ensureConsoleBuilt();
  return {
    testRunPrefix: prefix,
    temporalAddress: temporal.address,
    workflowBundlePath: bundlePath,
    async stop() {
      await temporal.stop();
      await dropTestDatabases(prefix);
    },
  };
}

/**
 * The integration and browser projects' global setup. Each project loads this file through its own module
 * runner, so the one set of services of a `vitest` process is kept on globalThis and stopped by the last
 * project's teardown; the unit project has no global setup and never starts them.
 */
const shared = globalThis as { outboundTestServices?: Promise<Services>; outboundTestServiceUsers?: number };

export default async function setup(project: TestProject) {
  shared.outboundTestServiceUsers = (shared.outboundTestServiceUsers ?? 0) + 1;
  shared.outboundTestServices ??= startServices();
  const services = await shared.outboundTestServices;
  project.provide('testRunPrefix', services.testRunPrefix);
  project.provide('temporalAddress', services.temporalAddress);
  project.provide('workflowBundlePath', services.workflowBundlePath);

  return async () => {
    shared.outboundTestServiceUsers = (shared.outboundTestServiceUsers ?? 1) - 1;
    if (shared.outboundTestServiceUsers > 0) return;
    shared.outboundTestServices = undefined;
    await services.stop();
  };
}
