import { isActiveCampaignError } from '../core/activecampaign/errors.ts';
import { isFillableFieldType } from '../core/activecampaign/field-values.ts';
import { findLiveConnection, missingSegmentId } from '../core/exports/export-references.ts';
import type { ExportRow, FieldMapping } from '../core/exports/export-store.ts';
import { onLeavePolicies } from '../core/exports/on-leave-policy.ts';
import { inputLimits } from '../core/input-limits.ts';
import { profileAttributeNames } from '../core/profiles/store.ts';
import { builder } from './builder.ts';
import { type ConnectionRow, canUseConnection } from './connection.ts';
import type { Context } from './context.ts';
import { describedEnumValues } from './described-enum-values.ts';
import { badInput, forbidden, isUuid } from './errors.ts';
import { checkedName, storableText } from './text-input.ts';
import { upstreamError } from './upstream.ts';

export const OnLeaveEnum = builder.enumType('OnLeavePolicy', {
  values: describedEnumValues(onLeavePolicies, {
    KEEP: 'Leave contacts who left the segment as they are (default).',
    UNSUBSCRIBE: 'Unsubscribe contacts who left the segment from the list.',
    REMOVE_TAGS:
      'Remove the export’s tags from contacts who left the segment; they stay subscribed to the list.',
  }),
});

export const tagsDescription =
  'Tag names applied to every contact the export sends (in the bulk import itself); tags the account lacks ' +
  'are created once, when a run starts. 1 to 100 characters each (no control characters, no commas), at most 20.';
export const resultsTargetIdDescription =
  'A results target (admins only) each run’s results are written into after it ends.';

export const excludeAutomationsDescription =
  'false (default, ActiveCampaign’s own): contacts imported by the export trigger the account’s automations ' +
  '(e.g. a welcome series on list subscription or tag added). true: automations are not started by these ' +
  'imports (the imports are also faster).';

/** Tag names as ActiveCampaign keeps them; clear errors for the ones it would mangle. */
export function checkTags(tags: string[]): string[] {
  if (tags.length > 20) throw badInput('tags', 'At most 20 tags per export.');
  const seen = new Set<string>();
  return tags.map((raw, i) => {
    const tag = raw.trim();
    if (!tag || tag.length > inputLimits.tagName)
      throw badInput(`tags[${i}]`, `A tag name is 1 to ${inputLimits.tagName} characters.`);
    if (/[\p{Cc},]/u.test(tag))
      throw badInput(`tags[${i}]`, 'A tag name has no control characters or commas.');
    if (seen.has(tag.toLowerCase())) throw badInput(`tags[${i}]`, `The tag "${tag}" is given twice.`);
    seen.add(tag.toLowerCase());
    return storableText(`tags[${i}]`, tag);
  });
}

const FieldMappingInput = builder.inputType('FieldMappingInput', {
  fields: (t) => ({
    attribute: t.string({ required: true }),
    fieldId: t.id({ required: true, description: 'An ActiveCampaign custom field id (see GET /fields).' }),
  }),
});

export const ExportMappingInput = builder.inputType('ExportMappingInput', {
  fields: (t) => ({
    email: t.string({ required: true, description: 'The profile attribute that holds the email.' }),
    firstName: t.string(),
    lastName: t.string(),
    phone: t.string(),
    fields: t.field({ type: [FieldMappingInput], defaultValue: [] }),
  }),
});

export const CreateExportInput = builder.inputType('CreateExportInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    connectionId: t.id({ required: true }),
    listId: t.id({ required: true }),
    segmentIds: t.idList({ required: true }),
    mapping: t.field({ type: ExportMappingInput, required: true }),
    enabled: t.boolean({ defaultValue: true }),
    onLeave: t.field({ type: OnLeaveEnum, defaultValue: 'KEEP' }),
    tags: t.stringList({ description: tagsDescription }),
    excludeAutomations: t.boolean({ defaultValue: false, description: excludeAutomationsDescription }),
    resultsTargetId: t.id({ description: resultsTargetIdDescription }),
  }),
});

export const UpdateExportInput = builder.inputType('UpdateExportInput', {
  fields: (t) => ({
    name: t.string(),
    connectionId: t.id(),
    listId: t.id(),
    segmentIds: t.idList(),
    mapping: t.field({ type: ExportMappingInput }),
    enabled: t.boolean(),
    onLeave: t.field({ type: OnLeaveEnum }),
    tags: t.stringList({ description: tagsDescription }),
    excludeAutomations: t.boolean({ description: excludeAutomationsDescription }),
    resultsTargetId: t.id({ description: `${resultsTargetIdDescription} null: none.` }),
  }),
});

export type ExportDraft = Pick<
  ExportRow,
  | 'name'
  | 'connectionId'
  | 'listId'
  | 'segmentIds'
  | 'mapping'
  | 'enabled'
  | 'onLeave'
  | 'tags'
  | 'excludeAutomations'
>;

type MappingInput = {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  fields?: Array<{ attribute: string; fieldId: string | number | bigint }> | null;
};

export function mappingFromInput(m: MappingInput): FieldMapping {
  return {
    email: m.email,
    firstName: m.firstName ?? null,
    lastName: m.lastName ?? null,
    phone: m.phone ?? null,
    fields: (m.fields ?? []).map((f) => ({ attribute: f.attribute, fieldId: String(f.fieldId).trim() })),
  };
}

/** The connection, if the viewer may use it (ADMIN, or CONTRIBUTOR on a connection open to them). */
export async function usableConnection(ctx: Context, connectionId: string): Promise<ConnectionRow> {
  const connection = isUuid(connectionId) ? await findLiveConnection(ctx.db, connectionId) : undefined;
  if (!connection) throw badInput('connectionId', `No connection with id ${connectionId}.`);
  if (!canUseConnection(ctx.viewer, connection)) {
    throw forbidden(`The connection "${connection.displayName}" is open to admins only.`);
  }
  return connection;
}

async function checkSegments(ctx: Context, ids: string[]): Promise<string[]> {
  const segmentIds = [...new Set(ids)];
  if (!segmentIds.length) throw badInput('segmentIds', 'Choose at least one segment.');
  const missing = segmentIds.every(isUuid) ? await missingSegmentId(ctx.db, segmentIds) : segmentIds[0];
  if (missing) throw badInput('segmentIds', `No segment with id ${missing}.`);
  return segmentIds;
}

function checkMappingText(mapping: FieldMapping): void {
  for (const key of ['email', 'firstName', 'lastName', 'phone'] as const) {
    const value = mapping[key];
    if (value != null) storableText(`mapping.${key}`, value);
  }
  mapping.fields.forEach((f, i) => {
    storableText(`mapping.fields[${i}].attribute`, f.attribute);
    storableText(`mapping.fields[${i}].fieldId`, f.fieldId);
  });
}

async function checkAttributes(ctx: Context, mapping: FieldMapping): Promise<void> {
  if (!mapping.email.trim()) throw badInput('mapping.email', 'Map the email: it is required.');
  const attributes = new Set(await profileAttributeNames(ctx.sql));
  const check = (field: string, attribute: string | null | undefined) => {
    if (attribute != null && !attributes.has(attribute)) {
      throw badInput(field, `Profiles have no attribute "${attribute}" (see profileAttributes).`);
    }
  };
  check('mapping.email', mapping.email);
  check('mapping.firstName', mapping.firstName);
  check('mapping.lastName', mapping.lastName);
  check('mapping.phone', mapping.phone);
  mapping.fields.forEach((f, i) => {
    check(`mapping.fields[${i}].attribute`, f.attribute);
    if (mapping.fields.findIndex((g) => g.fieldId === f.fieldId) !== i) {
      throw badInput(`mapping.fields[${i}].fieldId`, `Custom field ${f.fieldId} is mapped twice.`);
    }
  });
}

/**
 * The list and the custom fields must exist on the connection's account, and Outbound must be able to fill
 * each field's type. Returns the mapping with each field's type and options, as the account has them.
 */
async function checkOnActiveCampaign(
  ctx: Context,
  connection: ConnectionRow,
  listId: string,
  mapping: FieldMapping,
): Promise<FieldMapping> {
  // A key or host failure here is the connection's: the export form has no key or host to correct.
  const fault = (error: unknown) =>
    upstreamError(error, connection.apiHost, { key: 'connectionId', host: 'connectionId' });
  try {
    const apiKey = await ctx.secrets.decrypt(connection.apiKeyCiphertext as string);
    const client = await ctx.connect({ apiHost: connection.apiHost, apiKey });
    await client.getList(listId).catch((error) => {
      if (isActiveCampaignError(error) && error.kind === 'NotFound') {
        throw badInput('listId', `ActiveCampaign has no list ${listId} on this account.`);
      }
      throw error;
    });
    if (!mapping.fields.length) return mapping;
    const account = `${connection.id} ${connection.updatedAt?.toISOString() ?? ''}`;
    let known = await ctx.discovery.fields(account, async () => client);
    // A field created a moment ago is not in a copy read earlier.
    if (mapping.fields.some((f) => !known.some((k) => k.id === f.fieldId))) {
      known = await ctx.discovery.fields(account, async () => client, true);
    }
    const fields = mapping.fields.map((f, i) => {
      const field = known.find((k) => k.id === f.fieldId);
      if (!field) {
        throw badInput(
          `mapping.fields[${i}].fieldId`,
          `ActiveCampaign has no custom field ${f.fieldId} on this account.`,
        );
      }
      if (!isFillableFieldType(field.type)) {
        throw badInput(
          `mapping.fields[${i}].fieldId`,
          `Outbound cannot fill the custom field ${f.fieldId} ("${field.title}"): its type "${field.type}" is not one it knows.`,
        );
      }
      return {
        attribute: f.attribute,
        fieldId: f.fieldId,
        title: field.title,
        type: field.type,
        options: field.options,
      };
    });
    return { ...mapping, fields };
  } catch (error) {
    throw fault(error);
  }
}

/** The types and options saved with `current` for the fields a new mapping keeps. */
function keepTypes(mapping: FieldMapping, current: FieldMapping): FieldMapping {
  return {
    ...mapping,
    fields: mapping.fields.map((f) => {
      const saved = current.fields.find((c) => c.fieldId === f.fieldId);
      return saved?.type ? { ...f, title: saved.title, type: saved.type, options: saved.options ?? [] } : f;
    }),
  };
}

const fieldIdsOf = (mapping: FieldMapping) => mapping.fields.map((f) => f.fieldId).join(',');
const mappingKey = (m: FieldMapping) =>
  JSON.stringify([
    m.email,
    m.firstName ?? null,
    m.lastName ?? null,
    m.phone ?? null,
    m.fields.map((f) => [f.attribute, f.fieldId]),
  ]);

/**
 * Validates a complete export against Postgres and, live, against the connection's ActiveCampaign account.
 * On update (`current` given) only what changed is checked again: disabling or renaming an export works
 * even while its account is unreachable.
 */
export async function validateExport(
  ctx: Context,
  draft: ExportDraft,
  current?: ExportRow,
): Promise<ExportDraft> {
  const name = checkedName('name', draft.name, 'exportName');
  checkMappingText(draft.mapping);
  const connection = await usableConnection(ctx, draft.connectionId);
  const listId = draft.listId.trim();
  if (!/^\d{1,18}$/.test(listId)) throw badInput('listId', 'An ActiveCampaign list id is a number, e.g. 7.');
  const segmentIds = await checkSegments(ctx, draft.segmentIds);
  let mapping = draft.mapping;
  if (!current || mappingKey(current.mapping) !== mappingKey(mapping)) await checkAttributes(ctx, mapping);
  const live =
    !current ||
    current.connectionId !== connection.id ||
    current.listId !== listId ||
    fieldIdsOf(current.mapping) !== fieldIdsOf(mapping);
  if (live) mapping = await checkOnActiveCampaign(ctx, connection, listId, mapping);
  else if (current) mapping = keepTypes(mapping, current.mapping);
  const tags = checkTags(draft.tags);
  return { ...draft, name, listId, segmentIds, mapping, tags };
}
