import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { expect, inject, test } from 'vitest';
import { searchAttributeProblems } from '../../core/temporal/namespace-search-attributes.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { projectRoot, startTemporalDevServer } from '../../scripts/lib/temporal-cli.ts';
import { searchAttributes } from '../../temporal.config.ts';

const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8');

/** Every `Name=Type` pair in the text, as a record. */
function pairs(text: string): Record<string, string> {
  return Object.fromEntries(
    [...text.matchAll(/\b([A-Z]\w*)=(Keyword|Text|Int|Double|Bool|Datetime|KeywordList)\b/g)].map((m) => [
      m[1],
      m[2],
    ]),
  );
}

test("deploy/compose.yaml's temporal-setup registers every search attribute of temporal.config.ts with its type", () => {
  const loop =
    /for a in ([^;]+); do\s+temporal operator search-attribute create .*--name \$\$\{a%=\*\} --type \$\$\{a#\*=\}/.exec(
      read('deploy/compose.yaml'),
    );
  expect(loop, 'the registration loop of temporal-setup').not.toBeNull();
  expect(pairs(loop?.[1] ?? '')).toEqual(searchAttributes);
});

test("docs/deployment.md's registration commands and the Temporal Cloud example name every search attribute", () => {
  const docs = read('docs/deployment.md');
  const section = docs.slice(
    docs.indexOf('### The Temporal namespace'),
    docs.indexOf('## The compose example'),
  );
  const commands = [
    ...section.matchAll(
      /temporal operator search-attribute create --namespace \S+ --name (\w+) --type (\w+)/g,
    ),
  ];
  expect(Object.fromEntries(commands.map((m) => [m[1], m[2]]))).toEqual(searchAttributes);
  expect(pairs(read('deploy/temporal-cloud.env.example'))).toEqual(searchAttributes);
});

test('the dev server the tests and `npm run dev` start has every search attribute', async () => {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    expect(await searchAttributeProblems(connection, 'default')).toEqual([]);
  } finally {
    await connection.close();
  }
});

test('a worker on a namespace that lacks search attributes exits 1 naming them', async () => {
  const { SourceId: _, SourceSyncStatus: __, ...some } = searchAttributes;
  const server = await startTemporalDevServer({ port: await freePort(), searchAttributes: some });
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-worker.ts'], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: 'default',
        OUTBOUND_SECRET_KEY: randomBytes(32).toString('base64'),
        OUTBOUND_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
        OUTBOUND_WORKER_HTTP_PORT: '0',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(
      /namespace default lacks search attributes .*: SourceId \(Keyword\), SourceSyncStatus \(Keyword\)\./,
    );
    expect(output).toContain('--name SourceSyncStatus --type Keyword');
    expect(output).not.toContain('Outbound worker polling');
    expect(output).not.toMatch(/--name (ExportId|ConnectionId|RunTrigger) /);
  } finally {
    await server.stop();
  }
});
