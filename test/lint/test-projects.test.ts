import { expect, test } from 'vitest';
import {
  injectedValues,
  listProjectFiles,
  projectProblems,
  testFilesOnDisk,
} from '../support/test-projects.ts';

test('every test file is in exactly one vitest project, and that project provides what the file injects', async () => {
  const listed = await listProjectFiles();
  const onDisk = testFilesOnDisk();
  expect(onDisk.length).toBeGreaterThan(100);
  expect(new Set(listed.map((f) => f.projectName))).toEqual(new Set(['unit', 'integration', 'browser']));
  expect(projectProblems(listed, onDisk, (file) => injectedValues(file))).toEqual([]);
});

test('a unit file that reaches the database harness, a file in no project or in two, are each reported', () => {
  const onDisk = ['test/core/a.test.ts', 'test/core/b.test.ts', 'core/c.test.ts', 'test/console/d.test.ts'];
  const listed = [
    { file: 'test/core/a.test.ts', projectName: 'unit' },
    { file: 'test/core/b.test.ts', projectName: 'unit' },
    { file: 'test/core/b.test.ts', projectName: 'integration' },
    { file: 'test/console/d.test.ts', projectName: 'browser' },
  ];
  const values: Record<string, Map<string, string>> = {
    'test/core/a.test.ts': new Map([['testRunPrefix', 'test/support/database.ts']]),
    'test/console/d.test.ts': new Map([['temporalAddress', 'test/support/outbound.ts']]),
  };
  expect(projectProblems(listed, onDisk, (file) => values[file] ?? new Map())).toEqual([
    'core/c.test.ts: in no project (vitest.config.ts), never run',
    "test/core/a.test.ts: in project unit, but reads inject('testRunPrefix') (test/support/database.ts), which it does not provide",
    'test/core/b.test.ts: in more than one project (unit, integration)',
    "test/console/d.test.ts: in project browser, but never reads inject('chromiumPath')",
  ]);
});

test('what a file injects is found through the test code it imports', () => {
  expect([...injectedValues('test/db/smoke.test.ts')]).toEqual([
    ['testRunPrefix', 'test/support/database.ts'],
  ]);
  expect(new Set(injectedValues('test/console/pages.test.ts').keys())).toEqual(
    new Set(['chromiumPath', 'testRunPrefix', 'temporalAddress', 'workflowBundlePath']),
  );
  expect(injectedValues('test/core/firing-rules.test.ts').size).toBe(0);
});
