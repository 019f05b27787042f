import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** The runtime code outside core/temporal/ and the entry points of scripts/. */
function runtimeFiles(): string[] {
  return ['api', 'activities', 'workflows', 'core', 'db', 'fake-activecampaign']
    .flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)),
    )
    .filter((path) => /\.tsx?$/.test(path) && !path.startsWith(join('core', 'temporal')));
}

test('only core/temporal/ (and the entry points in scripts/) import @temporalio/client', () => {
  const importers = runtimeFiles().filter((path) =>
    /from '@temporalio\/client'/.test(readFileSync(join(root, path), 'utf8')),
  );
  expect(importers).toEqual([]);
});
