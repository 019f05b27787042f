import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url).pathname;
const biome = join(root, 'node_modules/.bin/biome');

export type LintResult = { code: number; output: string };

/**
 * A scratch project with this repository's biome.json (only its git integration off: the scratch
 * directory is no repository), so a source is linted as if it were at `path` in this repository
 * without writing into it.
 */
export async function scratchLintProject() {
  const project = await mkdtemp(join(tmpdir(), 'outbound-lint-'));
  const config = JSON.parse(await readFile(join(root, 'biome.json'), 'utf8'));
  await writeFile(join(project, 'biome.json'), JSON.stringify({ ...config, vcs: { enabled: false } }));
  return {
    /** `biome lint` of one file at `path`: its exit code and output. */
    async lint(path: string, source: string): Promise<LintResult> {
      await mkdir(join(project, path, '..'), { recursive: true });
      await writeFile(join(project, path), source);
      try {
        const { stdout, stderr } = await promisify(execFile)(biome, ['lint', '--colors=off', path], {
          cwd: project,
        });
        return { code: 0, output: stdout + stderr };
      } catch (error) {
        const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
        return { code, output: stdout + stderr };
      } finally {
        await rm(join(project, path));
      }
    },
    remove: () => rm(project, { recursive: true, force: true }),
  };
}
