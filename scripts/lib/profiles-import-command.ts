import type postgres from 'postgres';
import { insertAuditEvent } from '../../core/audit.ts';
import { ImportFileError, importProfiles } from '../../core/profiles/profiles-import.ts';
import type { ProfileGrowthLimits } from '../../core/profiles/store.ts';

const SHOWN_BAD_ROWS = 20;
const BAR_WIDTH = 30;

/**
 * `cli profiles:import <file>`: imports with a progress bar on a TTY (a line every ~10% otherwise) and
 * prints a summary with the first bad rows. Resolves false when the file could not be imported at all
 * (missing, unreadable, unknown type, bad header): the CLI should then exit non-zero.
 */
export async function runProfilesImportCommand(
  sql: postgres.Sql,
  file: string,
  out: NodeJS.WritableStream,
  limits?: ProfileGrowthLimits,
): Promise<boolean> {
  const tty = (out as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
  let lastDecile = -1;
  let barShown = false;
  const onProgress = (rows: number, bytes: number, total: number) => {
    const fraction = total > 0 ? Math.min(1, bytes / total) : 1;
    const percent = Math.floor(fraction * 100);
    if (tty) {
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
      out.write(`\r[${bar}] ${String(percent).padStart(3)}%  ${rows.toLocaleString('en-US')} rows`);
      barShown = true;
    } else if (Math.floor(percent / 10) > lastDecile) {
      lastDecile = Math.floor(percent / 10);
      out.write(`${percent}% read, ${rows.toLocaleString('en-US')} rows\n`);
    }
  };

  let result: Awaited<ReturnType<typeof importProfiles>>;
  try {
    result = await importProfiles(sql, file, {
      onProgress,
      ...(limits && { limits }),
      // The operator's import: no user, counts only.
      onImported: (tx, summary) =>
        insertAuditEvent(tx, null, 'profiles.imported', 'Profiles', 'profiles', summary),
    });
  } catch (e) {
    if (barShown) out.write('\n');
    if (e instanceof ImportFileError) {
      out.write(`Import failed: ${e.message}\nNothing was imported.\n`);
      return false;
    }
    throw e;
  }
  if (barShown) out.write('\n');
  out.write(`Imported ${result.imported} profiles; ${result.badRowCount} bad rows\n`);
  for (const bad of result.badRows.slice(0, SHOWN_BAD_ROWS)) out.write(`line ${bad.line}: ${bad.reason}\n`);
  if (result.badRowCount > SHOWN_BAD_ROWS) out.write(`… and ${result.badRowCount - SHOWN_BAD_ROWS} more\n`);
  return true;
}
