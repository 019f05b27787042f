import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  environmentTableEnd,
  environmentTableStart,
  environmentVariables,
  renderEnvironmentTable,
} from '../../scripts/environment.ts';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

const markdownFiles = ['README.md', ...files('docs', (n) => n.endsWith('.md'))];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*]/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const seen = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (heading) seen.add(slug(heading[1] ?? ''));
  }
  return seen;
}

/** A table's rows with the cells trimmed, so Biome's column padding does not matter. */
function tableRows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/^-+$/, '---'))
        .join('|'),
    );
}

describe('the README and docs/', () => {
  it('keeps the README a front door of at most 450 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(450);
  });

  it.each(markdownFiles)(
    '%s: every relative link reaches a file and, where it names one, a heading',
    (file) => {
      const markdown = read(file);
      const broken: string[] = [];
      const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
      for (const [, target = ''] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path = '', anchor] = target.split('#');
        const resolved = path ? join(dirname(file), path) : file;
        let text: string;
        try {
          text = read(resolved);
        } catch {
          broken.push(`${target} (no file ${resolved})`);
          continue;
        }
        if (anchor && resolved.endsWith('.md') && !anchors(text).has(anchor)) {
          broken.push(`${target} (no heading #${anchor} in ${resolved})`);
        }
      }
      expect(broken).toEqual([]);
    },
  );

  it("docs/configuration.md's environment table is the one scripts/environment.ts renders", () => {
    const markdown = read('docs/configuration.md');
    const table = markdown.slice(
      markdown.indexOf(environmentTableStart),
      markdown.indexOf(environmentTableEnd),
    );
    expect(tableRows(table), 'run npm run docs:env').toEqual(tableRows(renderEnvironmentTable()));
  });

  it('documents every OUTBOUND_ variable the code reads, and no other', () => {
    const sources = ['scripts', 'core', 'api', 'activities', 'workflows']
      .flatMap((dir) => files(dir, (n) => n.endsWith('.ts')))
      .filter((f) => !f.startsWith('scripts/environment.ts'));
    const read_ = new Set(sources.flatMap((f) => read(f).match(/\bOUTBOUND_[A-Z0-9_]*[A-Z0-9]\b/g) ?? []));
    const documented = new Set(
      environmentVariables.map((v) => v.name).filter((n) => n.startsWith('OUTBOUND_')),
    );
    expect([...read_].filter((n) => !documented.has(n)).sort()).toEqual([]);
    expect([...documented].filter((n) => !read_.has(n)).sort()).toEqual([]);
  });
});
