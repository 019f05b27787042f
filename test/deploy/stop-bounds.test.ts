import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { apiStopWithinMs } from '../../scripts/lib/serve-api.ts';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';
import { workerStopWithinMs } from '../../scripts/lib/worker.ts';

const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8');

/** The text of a top-level block that starts at `start` and ends before the next block at the same indent. */
function block(text: string, start: RegExp): string {
  const match = start.exec(text);
  if (!match) throw new Error(`no ${start}`);
  const rest = text.slice(match.index + match[0].length);
  const indent = /^\s*/.exec(match[0])?.[0].length ?? 0;
  const end = rest.search(new RegExp(`\\n {0,${indent}}\\S`));
  return end < 0 ? rest : rest.slice(0, end);
}

test('deploy/compose.yaml gives the API and the worker more than their stop bounds before SIGKILL', () => {
  const compose = read('deploy/compose.yaml');
  const grace = (service: string) =>
    Number(/stop_grace_period: (\d+)s/.exec(block(compose, new RegExp(`^  ${service}:`, 'm')))?.[1]) * 1000;
  expect(grace('api')).toBeGreaterThan(apiStopWithinMs);
  expect(grace('worker')).toBeGreaterThan(workerStopWithinMs);
});

test("docs/deployment.md's Kubernetes shape gives them more than their stop bounds and probes /healthz and /readyz", () => {
  const docs = read('docs/deployment.md');
  const manifests = /## Kubernetes[^\n]*\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
  const deployment = (name: string) =>
    manifests.split('---').find((doc) => doc.includes(`name: ${name} }`)) ?? '';
  for (const [name, boundMs, port] of [
    ['outbound-api', apiStopWithinMs, 4000],
    ['outbound-worker', workerStopWithinMs, 4001],
  ] as const) {
    const manifest = deployment(name);
    expect(Number(/terminationGracePeriodSeconds: (\d+)/.exec(manifest)?.[1]) * 1000, name).toBeGreaterThan(
      boundMs,
    );
    expect(manifest).toContain(`readinessProbe: { httpGet: { path: /readyz, port: ${port} }`);
    expect(manifest).toContain(`livenessProbe: { httpGet: { path: /healthz, port: ${port} }`);
    expect(manifest).toContain('readOnlyRootFilesystem: true');
  }
  expect(manifests).toMatch(/kind: Job[\s\S]*command: \["node", "--import", "tsx", "scripts\/migrate.ts"\]/);
});
