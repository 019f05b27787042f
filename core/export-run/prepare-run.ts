import type { Sql } from '../../db/client.ts';
import type { ActiveCampaignClient } from '../activecampaign/client.ts';
import { markRunning } from '../runs/lifecycle.ts';
import { countLeavers, markLeaversKept } from './leavers.ts';
import type { OpenableRun } from './open-run.ts';
import { RunRefusedError } from './run-refused.ts';
import { pinSnapshot, releaseUncheckedImports } from './run-store.ts';
import { countSnapshot } from './snapshot-rows.ts';

export type PrepareLimits = {
  maxProfilesPerExport: number;
  /** Share of the export's list members a run may unsubscribe without explicit confirmation. */
  unsubscribeGuardShare: number;
};

const numberFormat = new Intl.NumberFormat('en-US');

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/**
 * Checks the destination, pins the membership snapshot, refuses exports over the size limit and
 * runs that would unsubscribe more than the guard allows — before anything is sent.
 */
export async function prepareRun(
  sql: Sql,
  client: ActiveCampaignClient,
  run: OpenableRun,
  limits: PrepareLimits,
  temporalRunId: string,
): Promise<{ totalProfiles: number }> {
  const { runId } = run;
  await client.me();
  await client.getList(run.listId);
  // Created once, before any import: imports would create a missing tag on the fly per contact batch.
  if (run.tags.length) await client.ensureTags(run.tags);
  const snapshot = await pinSnapshot(sql, runId, run.segmentIds);
  await releaseUncheckedImports(sql, runId, run.exportId);
  const totalProfiles = await countSnapshot(sql, snapshot);
  if (totalProfiles > limits.maxProfilesPerExport) {
    throw new RunRefusedError(
      'TooManyProfiles',
      `The export's segments hold ${numberFormat.format(totalProfiles)} profiles, over the limit of ` +
        `${numberFormat.format(limits.maxProfilesPerExport)} per export (OUTBOUND_MAX_PROFILES_PER_EXPORT). Nothing was sent.`,
    );
  }
  // Leavers are known once the snapshot is pinned: under KEEP they only stop counting as members,
  // done here while the export's rows are only those of earlier runs (none on a first run).
  if (run.onLeave === 'KEEP') await markLeaversKept(sql, runId, run.exportId, snapshot);
  if (run.onLeave === 'UNSUBSCRIBE' && !run.confirmMassUnsubscribe) {
    const { members, leavers } = await countLeavers(sql, run.exportId, snapshot);
    if (members > 0 && leavers / members > limits.unsubscribeGuardShare) {
      throw new RunRefusedError(
        'MassUnsubscribe',
        `This run would unsubscribe ${numberFormat.format(leavers)} of the ${numberFormat.format(members)} contacts ` +
          `the export put on the list (${percent(leavers / members)}), more than the ${percent(limits.unsubscribeGuardShare)} ` +
          'safety limit. Nothing was changed. Run it again with confirmMassUnsubscribe: true to proceed.',
      );
    }
  }
  await markRunning(sql, runId, totalProfiles, temporalRunId);
  return { totalProfiles };
}
