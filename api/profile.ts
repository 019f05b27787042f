import {
  defaultProfileGrowthLimits,
  ProfileInputError,
  profileAttributeNames,
  upsertProfiles,
} from '../core/profiles/store.ts';
import { findUserById, mayWriteProfiles } from '../core/users.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import type { Context, Viewer } from './context.ts';
import { badInput, forbidden } from './errors.ts';

const maxProfilesPerCall = 1_000;

const ProfileInput = builder.inputType('ProfileInput', {
  fields: (t) => ({
    customerId: t.string({ required: true }),
    attributes: t.field({
      type: 'JSON',
      required: true,
      description: 'Attribute name → string, number, boolean or array.',
    }),
  }),
});

builder.queryField('profileAttributes', (t) =>
  t.stringList({
    authScopes: { authenticated: true },
    description: 'The attribute names profiles have, sorted: the choices for an export’s mapping.',
    resolve: (_root, _args, ctx) => profileAttributeNames(ctx.sql),
  }),
);

/**
 * Profiles feed every segment and export, admin-only ones included: admins write them, and contributors
 * an admin granted it (checked against the database, so a withdrawn grant holds at once).
 */
export async function checkProfileWriter(ctx: Context): Promise<void> {
  const viewer = ctx.viewer as Viewer;
  if (viewer.role === 'ADMIN') return;
  const user = await findUserById(ctx.sql, viewer.id);
  if (user && mayWriteProfiles(user)) return;
  throw forbidden(
    'Writing profiles needs an admin, or a contributor an admin has allowed to (updateUser canWriteProfiles): ' +
      'profiles decide who every export sends, admin-only ones included.',
  );
}

builder.mutationField('upsertProfiles', (t) =>
  t.int({
    authScopes: { editor: true },
    description:
      `Creates or replaces up to ${maxProfilesPerCall} profiles, all or nothing; returns how many distinct. ` +
      'Admins, and contributors with canWriteProfiles.',
    args: { profiles: t.arg({ type: [ProfileInput], required: true }) },
    resolve: async (_root, { profiles }, ctx) => {
      await checkProfileWriter(ctx);
      if (!profiles.length) throw badInput('profiles', 'Send at least one profile.');
      if (profiles.length > maxProfilesPerCall) {
        throw badInput(
          'profiles',
          `Send at most ${maxProfilesPerCall} profiles per call (got ${profiles.length}).`,
        );
      }
      const input = profiles.map((p) => ({
        customerId: p.customerId,
        attributes: p.attributes as Record<string, unknown>,
      }));
      try {
        return await upsertProfiles(ctx.sql, input, {
          limits: ctx.limits?.profiles ?? defaultProfileGrowthLimits,
          // Counts and segment ids only: customer ids and attributes stay out of the audit trail.
          onWritten: (tx, summary) =>
            recordAudit(tx, ctx.viewer, 'profiles.upserted', 'Profiles', 'profiles', summary),
        });
      } catch (error) {
        if (error instanceof ProfileInputError) throw badInput(error.field, error.message);
        throw error;
      }
    },
  }),
);
