import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../scripts/lib/temporal-cli.ts';

/** What each project's global setup provides (test/support/global-setup.ts, chromium-setup.ts). */
export const providedByProject: Record<string, readonly string[]> = {
  unit: [],
  integration: ['testRunPrefix', 'temporalAddress', 'workflowBundlePath'],
  browser: ['testRunPrefix', 'temporalAddress', 'workflowBundlePath', 'chromiumPath'],
};

/** A project with a value of its own: the browser project is the one that provides a Chromium. */
const requiredByProject: Record<string, string | undefined> = { browser: 'chromiumPath' };

export type ProjectFile = { file: string; projectName: string };

/** `vitest list --filesOnly`: every test file vitest collects, with its project (paths relative to the root). */
export async function listProjectFiles(): Promise<ProjectFile[]> {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-vitest-list-'));
  try {
    const output = join(dir, 'files.json');
    // The child resolves the projects itself, not as a test worker of this run.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')),
    );
    await promisify(execFile)(
      process.execPath,
      [join(projectRoot, 'node_modules/vitest/vitest.mjs'), 'list', '--filesOnly', `--json=${output}`],
      { cwd: projectRoot, env },
    );
    const listed = JSON.parse(readFileSync(output, 'utf8')) as ProjectFile[];
    return listed.map(({ file, projectName }) => ({ file: relative(projectRoot, file), projectName }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const skippedDirectories = new Set(['node_modules', '.git', '.data', '.tools', 'dist']);

/** Every file under `root` named like a test (vitest's default `*.test.*` / `*.spec.*`), relative to `root`. */
export function testFilesOnDisk(root = projectRoot, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory())
      return skippedDirectories.has(entry.name) ? [] : testFilesOnDisk(root, join(dir, entry.name));
    return /\.(test|spec)\.[cm]?[jt]sx?$/.test(entry.name) ? [relative(root, join(dir, entry.name))] : [];
  });
}

const relativeImport = /(?:from\s+|import\s*\(\s*|import\s+)'(\.\.?\/[^']+)'/g;
const importsInject = /import\s*\{[^}]*\binject\b[^}]*\}\s*from\s*'vitest'/;
const injected = /\binject\(\s*'(\w+)'\s*\)/g;

/**
 * The global-setup values a test file reads through `inject(…)`, itself or through the test code it imports
 * (relative imports inside test/; runtime code never injects), with the file that reads each one.
 */
export function injectedValues(file: string, root = projectRoot): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path) || !existsSync(path)) return;
    seen.add(path);
    const source = readFileSync(path, 'utf8');
    if (importsInject.test(source))
      for (const [, key] of source.matchAll(injected))
        if (key && !found.has(key)) found.set(key, relative(root, path));
    for (const [, specifier] of source.matchAll(relativeImport)) {
      const target = resolve(dirname(path), specifier ?? '');
      if (!relative(join(root, 'test'), target).startsWith('..')) visit(target);
    }
  };
  visit(join(root, file));
  return found;
}

/**
 * What is wrong with the split into projects: a test file vitest does not collect, one collected twice, a
 * file reading a global-setup value its project does not provide, a browser file that drives no browser.
 */
export function projectProblems(
  listed: ProjectFile[],
  onDisk: string[],
  valuesOf: (file: string) => Map<string, string>,
): string[] {
  const problems: string[] = [];
  const projectsOf = new Map<string, string[]>();
  for (const { file, projectName } of listed)
    projectsOf.set(file, [...(projectsOf.get(file) ?? []), projectName]);
  for (const file of onDisk)
    if (!projectsOf.has(file)) problems.push(`${file}: in no project (vitest.config.ts), never run`);
  for (const [file, projects] of projectsOf) {
    if (projects.length > 1) problems.push(`${file}: in more than one project (${projects.join(', ')})`);
    for (const project of projects) {
      const provided = providedByProject[project];
      if (!provided) {
        problems.push(`${file}: in project ${project}, which test/support/test-projects.ts does not know`);
        continue;
      }
      const values = valuesOf(file);
      for (const [key, reader] of values)
        if (!provided.includes(key))
          problems.push(
            `${file}: in project ${project}, but reads inject('${key}') (${reader}), which it does not provide`,
          );
      const required = requiredByProject[project];
      if (required && !values.has(required))
        problems.push(`${file}: in project ${project}, but never reads inject('${required}')`);
    }
  }
  return problems;
}
