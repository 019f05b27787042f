import { ProfileInputError, profileAttributeNames, upsertProfiles } from '../core/profiles/store.ts';
import { builder } from './builder.ts';
import { badInput } from './errors.ts';

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

builder.mutationField('upsertProfiles', (t) =>
  t.int({
    authScopes: { editor: true },
    description: `Creates or replaces up to ${maxProfilesPerCall} profiles, all or nothing; returns how many distinct.`,
    args: { profiles: t.arg({ type: [ProfileInput], required: true }) },
    resolve: async (_root, { profiles }, ctx) => {
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
        return await upsertProfiles(ctx.sql, input);
      } catch (error) {
        if (error instanceof ProfileInputError) throw badInput(error.field, error.message);
        throw error;
      }
    },
  }),
);
