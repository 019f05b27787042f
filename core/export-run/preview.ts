import type { Sql } from '../../db/client.ts';
import type { FieldMapping } from '../../db/schema.ts';
import { documentedLimits, slotIntervals } from '../activecampaign/rate-limiter.ts';
import type { OnLeavePolicy } from '../exports/on-leave-policy.ts';
import { createContactMapper, type RejectReason } from './contact-mapper.ts';
import { countLeavers } from './leavers.ts';
import { readBatches } from './read-batches.ts';
import { readSnapshotRows, type SegmentSnapshot } from './snapshot-rows.ts';

export type ExportPreview = {
  totalProfiles: number;
  adds: number;
  updates: number;
  unchanged: number;
  skipped: number;
  leavers: number;
  rejects: number;
  rejectSamples: Array<{ customerId: string; reason: RejectReason }>;
  bulkImports: number;
  etaSeconds: number;
};

export type PreviewedExport = {
  id: string;
  segmentIds: string[];
  mapping: FieldMapping;
  listId: string;
  onLeave: OnLeavePolicy;
  tags: string[];
};

/**
 * What a run started now would do, computed exactly as the run computes it (same read batches, mapping,
 * hashes and chunks) against the segments' current membership — without a request to ActiveCampaign
 * and without writing anything.
 */
export async function previewExport(
  sql: Sql,
  exp: PreviewedExport,
  sampleSize = 100,
): Promise<ExportPreview> {
  const snapshot: SegmentSnapshot = [
    ...(await sql<SegmentSnapshot>`
      select id as "segmentId", generation from segments where id = any(${exp.segmentIds}::uuid[]) order by id`),
  ];
  const preview: ExportPreview = {
    totalProfiles: 0,
    adds: 0,
    updates: 0,
    unchanged: 0,
    skipped: 0,
    leavers: (await countLeavers(sql, exp.id, snapshot)).leavers,
    rejects: 0,
    rejectSamples: [],
    bulkImports: 0,
    etaSeconds: 0,
  };
  const batches = readBatches({
    read: (after, limit) => readSnapshotRows(sql, exp.id, snapshot, { after, limit }),
    map: createContactMapper(exp.mapping, exp.listId, false, exp.tags),
    after: null,
    limit: Number.POSITIVE_INFINITY,
  });
  for await (const batch of batches) {
    preview.totalProfiles += batch.rows;
    for (const chunk of batch.chunks) {
      if (chunk.contacts.length) preview.bulkImports++;
      preview.unchanged += chunk.unchanged;
      preview.skipped += chunk.skipped;
      preview.rejects += chunk.rejects.length;
      for (const contact of chunk.contacts) contact.change === 'add' ? preview.adds++ : preview.updates++;
      preview.rejectSamples.push(...chunk.rejects.slice(0, sampleSize - preview.rejectSamples.length));
    }
  }
  preview.etaSeconds = estimateSeconds(preview, exp.onLeave);
  return preview;
}

/**
 * At the documented limits: bulk imports are spaced by their own limit, and every request (imports,
 * one poll per import, two per unsubscribed leaver) shares the 5 a second.
 */
function estimateSeconds(preview: ExportPreview, onLeave: PreviewedExport['onLeave']): number {
  const intervals = slotIntervals(documentedLimits, 1);
  const generalRequests = preview.bulkImports * 2 + (onLeave === 'UNSUBSCRIBE' ? preview.leavers * 2 : 0);
  const ms = Math.max(preview.bulkImports * intervals.bulk, generalRequests * intervals.general);
  return Math.round(ms / 1000);
}
