import {
  checkTargetConnection,
  maskTargetUrl,
  ResultsTargetError,
  schemaNamePattern,
  targetErrorMessage,
} from '../core/results/target-database.ts';
import {
  countResultsTargets,
  deleteResultsTargetRow,
  findResultsTarget,
  insertResultsTarget,
  listResultsTargets,
  type ResultsTarget,
  updateResultsTargetRow,
} from '../core/results/targets-store.ts';
import { builder } from './builder.ts';
import { deleteByIdField } from './by-id-fields.ts';
import type { Context } from './context.ts';
import { apiError, badInput, forbidden, isUuid, notFound } from './errors.ts';
import { uuidKeysetConnection } from './keyset-connection.ts';
import { loadById } from './load-by-id.ts';
import { storableText } from './text-input.ts';

export const ResultsTargetType = builder.objectRef<ResultsTarget>('ResultsTarget').implement({
  description:
    'A Postgres database and schema each run of an export naming it is written into: outbound_runs, outbound_run_contacts, outbound_list_members (docs/results-targets.md). Admins only.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    schema: t.exposeString('schema', { description: 'Created if missing and migrated by Outbound.' }),
    databaseUrlMasked: t.exposeString('databaseUrlMasked', {
      description: 'The connection URL, password hidden; the URL is encrypted at rest.',
    }),
    lastWrittenAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When a run’s results were last written.',
      resolve: (r) => r.lastWrittenAt,
    }),
  }),
});

const CreateResultsTargetInput = builder.inputType('CreateResultsTargetInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    databaseUrl: t.string({
      required: true,
      description:
        'postgres://user:password@host:5432/db; the user needs CREATE on the database (or an existing schema it owns). Encrypted at rest. A private host needs its host:port in OUTBOUND_INSECURE_HOSTS; others are reached over TLS.',
    }),
    schema: t.string({ required: true, description: 'A lowercase identifier, e.g. outbound.' }),
  }),
});

const UpdateResultsTargetInput = builder.inputType('UpdateResultsTargetInput', {
  fields: (t) => ({
    name: t.string(),
    databaseUrl: t.string({ description: 'A new connection URL; it is checked again.' }),
    schema: t.string(),
  }),
});

function checkName(name: string): string {
  const trimmed = storableText('name', name.trim());
  if (!trimmed || trimmed.length > 100) throw badInput('name', 'Enter a name of 1 to 100 characters.');
  return trimmed;
}

function checkSchema(schema: string): string {
  if (!schemaNamePattern.test(schema) || schema.startsWith('pg_')) {
    throw badInput('schema', 'Use a lowercase identifier of letters, digits and _ (not starting with pg_).');
  }
  return schema;
}

/** Checks the URL under the outbound-host policy and logs in once; returns its masked form. */
async function checkedUrl(ctx: Context, databaseUrl: string): Promise<string> {
  try {
    const masked = maskTargetUrl(databaseUrl);
    await checkTargetConnection(databaseUrl, { insecureHosts: ctx.insecureHosts ?? new Set() });
    return masked;
  } catch (error) {
    if (error instanceof ResultsTargetError) throw badInput('databaseUrl', error.message);
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^(28|3D)/.test(code)) {
      throw badInput(
        'databaseUrl',
        `The database refused the login or the database name (SQLSTATE ${code}).`,
      );
    }
    throw apiError('UPSTREAM_ERROR', targetErrorMessage(error), { field: 'databaseUrl' });
  }
}

function loadTarget(ctx: Context, id: string): Promise<ResultsTarget> {
  return loadById('results target', id, (known) => findResultsTarget(ctx.sql, known));
}

/**
 * An export's resultsTargetId as given: undefined (not given), null (none) or an existing target's id.
 * Naming one is an admin's choice: it sends the export's outcomes to another database.
 */
export async function resultsTargetIdOf(
  ctx: Context,
  given: string | number | null | undefined,
): Promise<string | null | undefined> {
  if (given === undefined) return undefined;
  if (ctx.viewer?.role !== 'ADMIN') throw forbidden('Only admins may set an export’s resultsTargetId.');
  if (given === null) return null;
  const id = String(given);
  if (!isUuid(id) || !(await findResultsTarget(ctx.sql, id))) {
    throw badInput('resultsTargetId', `No results target with id ${id}.`);
  }
  return id;
}

builder.queryFields((t) => ({
  resultsTargets: t.connection(
    {
      type: ResultsTargetType,
      authScopes: { admin: true },
      description: 'Every results target, newest first.',
      resolve: (_root, args, ctx) =>
        uuidKeysetConnection(args, 'Query.resultsTargets', {
          cursorExists: async (cursor) => (await findResultsTarget(ctx.sql, cursor)) !== undefined,
          page: (page) => listResultsTargets(ctx.sql, page),
          count: () => countResultsTargets(ctx.sql),
        }),
    },
    { name: 'ResultsTargetsConnection' },
  ),
}));

builder.mutationFields((t) => ({
  createResultsTarget: t.field({
    type: ResultsTargetType,
    authScopes: { admin: true },
    description: 'Adds a results target after logging in to it once. Exports name it with resultsTargetId.',
    args: { input: t.arg({ type: CreateResultsTargetInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const name = checkName(input.name);
      const schema = checkSchema(input.schema);
      const masked = await checkedUrl(ctx, input.databaseUrl);
      return insertResultsTarget(ctx.sql, ctx.viewer, {
        name,
        schema,
        databaseUrlMasked: masked,
        databaseUrlCiphertext: await ctx.secrets.encrypt(input.databaseUrl),
      });
    },
  }),

  updateResultsTarget: t.field({
    type: ResultsTargetType,
    authScopes: { admin: true },
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateResultsTargetInput, required: true }),
    },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await loadTarget(ctx, String(id));
      const changes: Parameters<typeof updateResultsTargetRow>[3] = {};
      if (input.name != null) changes.name = checkName(input.name);
      if (input.schema != null) changes.schema = checkSchema(input.schema);
      if (input.databaseUrl != null) {
        changes.databaseUrlMasked = await checkedUrl(ctx, input.databaseUrl);
        changes.databaseUrlCiphertext = await ctx.secrets.encrypt(input.databaseUrl);
      }
      const updated = await updateResultsTargetRow(ctx.sql, ctx.viewer, current.id, changes);
      if (!updated) throw notFound('results target', current.id);
      return updated;
    },
  }),

  deleteResultsTarget: deleteByIdField(t, {
    authScopes: { admin: true },
    description:
      'Deletes the target; exports naming it stop writing results. What was written stays in that database.',
    load: loadTarget,
    remove: async (ctx, target) => {
      if (!(await deleteResultsTargetRow(ctx.sql, ctx.viewer, target.id)))
        throw notFound('results target', target.id);
    },
  }),
}));
