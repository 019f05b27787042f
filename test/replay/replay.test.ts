import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { expect, inject, test } from 'vitest';
import { findPersonalData, readCorpus, workflowTypeByPrefix } from './corpus.ts';

const corpus = readCorpus();

test('the corpus holds at least 8 histories of both workflows, named after their workflow type', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(8);
  const types = corpus.map(({ name, history }) => {
    const type = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
    const [, expected] =
      Object.entries(workflowTypeByPrefix).find(([prefix]) => name.startsWith(prefix)) ?? [];
    expect(type, name).toBe(expected);
    return type;
  });
  expect(new Set(types)).toEqual(new Set(Object.values(workflowTypeByPrefix)));
});

test('no history in the corpus holds an email, a name, a phone or an API key', () => {
  for (const { name, json } of corpus) expect(findPersonalData(json), name).toEqual([]);
});

test('every history replays against the current workflow code without a nondeterminism error', async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const results = [];
  // The bundle the test workers run: workflows/index.ts, bundled once by globalSetup.
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: 'corpus' },
    corpus.map(({ name, history }) => ({ workflowId: name, history })),
  )) {
    results.push({ workflowId: result.workflowId, error: result.error?.message });
  }
  expect(results).toEqual(corpus.map(({ name }) => ({ workflowId: name, error: undefined })));
});
