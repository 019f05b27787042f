import { type ExportPreview, previewExport } from '../core/export-run/preview.ts';
import { builder } from './builder.ts';
import { loadExport } from './export-access.ts';
import { RejectType } from './export-run.ts';
import { heavyFieldCost } from './query-cost.ts';

const ExportPreviewType = builder.objectRef<ExportPreview>('ExportPreview').implement({
  description:
    'What running the export now would do. Nothing is sent to ActiveCampaign and nothing is written.',
  fields: (t) => ({
    totalProfiles: t.exposeInt('totalProfiles', { description: 'Members of the export’s segments now.' }),
    adds: t.exposeInt('adds', { description: 'Contacts the export has not put on the list yet.' }),
    updates: t.exposeInt('updates', {
      description: 'Contacts whose mapped data changed since the last push.',
    }),
    unchanged: t.exposeInt('unchanged'),
    skipped: t.exposeInt('skipped', {
      description:
        'Of the unchanged, contacts ActiveCampaign refused for good on an earlier run (UNSUBSCRIBED, ' +
        'REFUSED_REPEATEDLY, see the last run’s rejects): not sent again until their data changes.',
    }),
    leavers: t.exposeInt('leavers', {
      description: 'Contacts that left the segments (handled per onLeave).',
    }),
    rejects: t.exposeInt('rejects', {
      description: 'Profiles that would not be sent: no or invalid email, duplicates.',
    }),
    rejectSamples: t.field({
      type: [RejectType],
      description: 'The first 100 rejects, in customer-id order.',
      resolve: (p) => p.rejectSamples,
    }),
    bulkImports: t.exposeInt('bulkImports'),
    etaSeconds: t.exposeInt('etaSeconds', { description: 'At ActiveCampaign’s documented limits.' }),
  }),
});

builder.queryField('previewExport', (t) =>
  t.field({
    type: ExportPreviewType,
    authScopes: { authenticated: true },
    description:
      'A dry run: the adds, updates, unchanged, leavers and rejects of a run started now, and its ETA. ' +
      'Priced as the reading it does: at most two in one request.',
    extensions: { cost: heavyFieldCost },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => previewExport(ctx.sql, await loadExport(ctx, String(id))),
  }),
);
