import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ensureTemporalCli, temporalVersionFits } from '../../scripts/lib/temporal-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'outbound-temporal-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in `temporal` that only answers --version as a release would. */
function fakeCli(name: string, version: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho "temporal version ${version} (Server 1.29.1, UI 2.42.1)"\n`);
  chmodSync(path, 0o755);
  return path;
}

test('a Temporal CLI release of 1.5 or a later 1.x fits; others and dev builds do not', () => {
  expect(temporalVersionFits('temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)')).toBe(true);
  expect(temporalVersionFits('temporal version 1.7.0 (Server 1.30.0, UI 2.44.0)')).toBe(true);
  expect(temporalVersionFits('temporal version 1.4.2 (Server 1.28.0, UI 2.40.0)')).toBe(false);
  expect(temporalVersionFits('temporal version 2.0.0')).toBe(false);
  expect(temporalVersionFits('temporal version 0.0.0-DEV (Server 1.29.1, UI 2.42.1)')).toBe(false);
});

test('TEMPORAL_CLI is used as it is when it fits, and refused with a message when it does not', async () => {
  const saved = process.env.TEMPORAL_CLI;
  const lines: string[] = [];
  try {
    process.env.TEMPORAL_CLI = fakeCli('temporal-ok', '1.5.1');
    expect(await ensureTemporalCli((l) => lines.push(l))).toBe(process.env.TEMPORAL_CLI);
    process.env.TEMPORAL_CLI = fakeCli('temporal-old', '1.3.0');
    await expect(ensureTemporalCli((l) => lines.push(l))).rejects.toThrow(/TEMPORAL_CLI=.*1\.5 or later/);
    expect(lines.join('\n')).toMatch(/Not using .*temporal-old .*1\.3\.0/);
  } finally {
    if (saved === undefined) delete process.env.TEMPORAL_CLI;
    else process.env.TEMPORAL_CLI = saved;
  }
});
