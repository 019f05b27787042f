import {
  ImportFileError,
  type ImportResult,
  importProfileText,
  type ProfileFileFormat,
} from '../core/profiles/profiles-import.ts';
import { defaultProfileGrowthLimits } from '../core/profiles/store.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import { badInput } from './errors.ts';
import { checkProfileWriter } from './profile.ts';

/** Bad rows the answer lists (by line); the count covers them all. */
export const badRowsListed = 100;

const ProfileFileFormatEnum = builder.enumType('ProfileFileFormat', {
  values: {
    CSV: { description: 'A header row with a customer_id column, then one profile a row (RFC 4180).' },
    NDJSON: { description: 'One {"customerId": …, "attributes": {…}} object a line.' },
  } as const,
});

const BadProfileRowType = builder.objectRef<{ line: number; reason: string }>('BadProfileRow').implement({
  description: 'A row left out of an import, and why.',
  fields: (t) => ({
    line: t.exposeInt('line', { description: 'Its line in the file, from 1 (the header is line 1).' }),
    reason: t.exposeString('reason'),
  }),
});

const ProfileImportReportType = builder.objectRef<ImportResult>('ProfileImportReport').implement({
  description: 'What an import wrote and which rows it left out: the same report as `cli profiles:import`.',
  fields: (t) => ({
    imported: t.exposeInt('imported', { description: 'Distinct profiles inserted or updated.' }),
    badRowCount: t.exposeInt('badRowCount', { description: 'Rows left out.' }),
    badRows: t.field({
      type: [BadProfileRowType],
      description: `The first ${badRowsListed} rows left out, by line.`,
      resolve: (r) => r.badRows.slice(0, badRowsListed),
    }),
  }),
});

const ImportProfilesInput = builder.inputType('ImportProfilesInput', {
  fields: (t) => ({
    format: t.field({ type: ProfileFileFormatEnum, required: true }),
    content: t.string({
      required: true,
      description:
        'The file’s text. The request is at most 2 MB (the API’s body limit): larger files go through `npm run cli -- profiles:import`.',
    }),
  }),
});

builder.mutationField('importProfiles', (t) =>
  t.field({
    type: ProfileImportReportType,
    authScopes: { editor: true },
    description:
      'Imports a CSV or NDJSON file of profiles as `cli profiles:import` does: bad rows are left out and reported by line, the rest written in one transaction (the last row of a customer id wins). Segments take them in at their next refresh. Admins, and contributors with canWriteProfiles.',
    args: { input: t.arg({ type: ImportProfilesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await checkProfileWriter(ctx);
      const bytes = new TextEncoder().encode(input.content);
      const format: ProfileFileFormat = input.format === 'CSV' ? 'csv' : 'ndjson';
      try {
        return await importProfileText(ctx.sql, format, [bytes], bytes.byteLength, {
          limits: ctx.limits?.profiles ?? defaultProfileGrowthLimits,
          // Counts only: customer ids and attributes stay out of the audit trail.
          onImported: (tx, summary) =>
            recordAudit(tx, ctx.viewer, 'profiles.imported', 'Profiles', 'profiles', summary),
        });
      } catch (error) {
        if (error instanceof ImportFileError) throw badInput('content', error.message);
        throw error;
      }
    },
  }),
);
