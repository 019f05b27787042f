import type postgres from 'postgres';
import { isStorableText } from '../storable-text.ts';

export type ProfileInput = { customerId: string; attributes: Record<string, unknown> };

export const PROFILE_LIMITS = { customerIdLength: 200, attributeNameLength: 200 } as const;

/**
 * How far profile input may grow: attribute keys per profile, and distinct attribute names across all
 * profiles (every mapping form lists them all). OUTBOUND_MAX_ATTRIBUTES_PER_PROFILE and
 * OUTBOUND_MAX_ATTRIBUTE_NAMES.
 */
export type ProfileGrowthLimits = { maxAttributesPerProfile: number; maxAttributeNames: number };
export const defaultProfileGrowthLimits: ProfileGrowthLimits = {
  maxAttributesPerProfile: 200,
  maxAttributeNames: 2_000,
};

/** Settings key caching the sorted distinct attribute names (see profileAttributeNames). */
export const ATTRIBUTE_NAMES_KEY = 'profile_attribute_names';

/** Invalid profile input; `field` names the offending part, e.g. `profiles[3].attributes.Email`. */
export class ProfileInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ProfileInputError';
    this.field = field;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) =>
  v === null ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  (typeof v === 'string' && isStorableText(v));

/** Checks one customer id; returns what is wrong with it, or null. */
export function customerIdProblem(id: unknown): string | null {
  if (typeof id !== 'string' || id.trim() === '' || id.length > PROFILE_LIMITS.customerIdLength) {
    return `must be a non-empty string of at most ${PROFILE_LIMITS.customerIdLength} characters`;
  }
  if (!isStorableText(id)) return 'must not contain NUL characters or unpaired surrogates';
  return null;
}

/** Checks an attribute name; returns what is wrong with it, or null. */
export function attributeNameProblem(name: string): string | null {
  if (name.trim() === '' || name.length > PROFILE_LIMITS.attributeNameLength) {
    return `attribute names must be non-empty and at most ${PROFILE_LIMITS.attributeNameLength} characters`;
  }
  if (!isStorableText(name)) return 'attribute names must not contain NUL characters or unpaired surrogates';
  return null;
}

/** What is wrong with one profile: `field` is relative to the profile (`customerId`, `attributes.Email`). */
export function profileProblem(
  p: unknown,
  maxAttributes = defaultProfileGrowthLimits.maxAttributesPerProfile,
): { field: string; message: string } | null {
  if (!isObject(p)) return { field: '', message: 'expected an object {customerId, attributes}' };
  for (const key of Object.keys(p)) {
    if (key !== 'customerId' && key !== 'attributes') {
      return { field: key, message: `unknown field "${key}" (expected customerId and attributes)` };
    }
  }
  const idProblem = customerIdProblem(p.customerId);
  if (idProblem) return { field: 'customerId', message: `customerId ${idProblem}` };
  if (!isObject(p.attributes)) {
    return { field: 'attributes', message: 'attributes must be an object of attribute name to value' };
  }
  const count = Object.keys(p.attributes).length;
  if (count > maxAttributes) {
    return { field: 'attributes', message: `at most ${maxAttributes} attributes per profile (got ${count})` };
  }
  for (const [name, value] of Object.entries(p.attributes)) {
    const nameProblem = attributeNameProblem(name);
    if (nameProblem) return { field: 'attributes', message: `${nameProblem} (got ${JSON.stringify(name)})` };
    if (!isScalar(value) && !(Array.isArray(value) && value.every(isScalar))) {
      return {
        field: `attributes.${name}`,
        message: `attribute "${name}" must be a string, number, boolean, null or an array of those`,
      };
    }
  }
  return null;
}

function findProblem(p: unknown, index: number, maxAttributes?: number): ProfileInputError | null {
  const problem = profileProblem(p, maxAttributes);
  if (!problem) return null;
  return new ProfileInputError(
    `profiles[${index}]${problem.field ? `.${problem.field}` : ''}`,
    problem.message,
  );
}

/** A user-facing message naming what is wrong with the profile at `index`, or null when it is valid. */
export function validateProfileInput(p: unknown, index: number): string | null {
  return findProblem(p, index)?.message ?? null;
}

/** What one profile write did, for the audit trail: counts and segment ids, never a customer's data. */
export type ProfileWriteSummary = {
  written: number;
  created: number;
  updated: number;
  /** Segments whose current members include written profiles, with how many of them. */
  segments: Array<{ segmentId: string; members: number }>;
};

export type UpsertOptions = {
  limits?: ProfileGrowthLimits;
  /** Runs inside the write's transaction (the audit event lands with the write or not at all). */
  onWritten?: (tx: postgres.TransactionSql, summary: ProfileWriteSummary) => Promise<void>;
};

/**
 * Inserts or replaces profiles in one statement; when a customer id appears twice the later entry wins.
 * Validates everything first and throws ProfileInputError without writing anything. Returns the number
 * of distinct profiles written.
 */
export async function upsertProfiles(
  sql: postgres.Sql,
  profiles: ProfileInput[],
  options: UpsertOptions = {},
): Promise<number> {
  const limits = options.limits ?? defaultProfileGrowthLimits;
  const names = new Set<string>();
  profiles.forEach((p, i) => {
    const problem = findProblem(p, i, limits.maxAttributesPerProfile);
    if (problem) throw problem;
    for (const name of Object.keys(p.attributes)) names.add(name);
  });
  if (profiles.length === 0) return 0;
  const payload = JSON.stringify(profiles.map((p) => [p.customerId, p.attributes]));
  return sql.begin(async (tx) => {
    const total = await attributeNamesAfter(tx, [...names]);
    if (total > limits.maxAttributeNames) {
      throw new ProfileInputError('profiles', attributeNameBudgetMessage(limits.maxAttributeNames, total));
    }
    const segments = options.onWritten ? [...(await segmentsHolding(tx, payload))] : [];
    // xmax = 0: the row was inserted, not updated (a conflict's update sets it).
    const rows = await tx<{ created: boolean }[]>`
      insert into profiles (customer_id, attributes, updated_at)
      select distinct on (e.value->>0) e.value->>0, e.value->1, now()
      from jsonb_array_elements(${payload}::jsonb) with ordinality as e(value, n)
      order by e.value->>0, e.n desc
      on conflict (customer_id) do update set attributes = excluded.attributes, updated_at = now()
      returning (xmax = 0) as created`;
    await rememberAttributeNames(tx, [...names]);
    const created = rows.filter((r) => r.created).length;
    await options.onWritten?.(tx, {
      written: rows.length,
      created,
      updated: rows.length - created,
      segments,
    });
    return rows.length;
  });
}

export const attributeNameBudgetMessage = (max: number, total: number) =>
  `Profiles may have at most ${max} distinct attribute names (OUTBOUND_MAX_ATTRIBUTE_NAMES); ` +
  `this write would make ${total}. Reuse existing attribute names (see profileAttributes).`;

/**
 * How many distinct attribute names profiles will have once `names` are added: the cached list (or,
 * while there is none, the table) plus the new ones. When there are new ones it holds a transaction
 * lock, so concurrent writers cannot each stay under the limit and together pass it.
 */
export async function attributeNamesAfter(tx: postgres.TransactionSql, names: string[]): Promise<number> {
  const json = JSON.stringify(names);
  const [cached] = await tx<{ count: number; covers: boolean }[]>`
    select jsonb_array_length(value) as count, value @> ${json}::jsonb as covers
    from settings where key = ${ATTRIBUTE_NAMES_KEY}`;
  if (cached?.covers) return cached.count;
  await tx`select pg_advisory_xact_lock(hashtext(${ATTRIBUTE_NAMES_KEY}))`;
  const [row] = await tx<{ count: number }[]>`
    select count(*)::int as count from (
      select jsonb_array_elements_text(value) from settings where key = ${ATTRIBUTE_NAMES_KEY}
      union
      select jsonb_object_keys(attributes) from profiles
      where not exists (select 1 from settings where key = ${ATTRIBUTE_NAMES_KEY})
      union
      select jsonb_array_elements_text(${json}::jsonb)
    ) as names`;
  return row?.count ?? 0;
}

/** The segments whose current members include any of the payload's customer ids, and how many. */
async function segmentsHolding(
  tx: postgres.TransactionSql,
  payload: string,
): Promise<ProfileWriteSummary['segments']> {
  // One index probe per segment (members are keyed by segment, generation, customer id).
  return tx<ProfileWriteSummary['segments']>`
    with ids as (
      select array_agg(distinct (e.value->>0) collate "C") as list from jsonb_array_elements(${payload}::jsonb) e
    )
    select "segmentId", members from (
      select s.id as "segmentId", (
        select count(*)::int from segment_members m, ids
        where m.segment_id = s.id and m.generation = s.generation and m.customer_id = any(ids.list)
      ) as members
      from segments s
    ) as counted
    where members > 0 order by "segmentId"`;
}

/**
 * Adds names to the cached attribute-name list. Only updates an existing cache: while there is none,
 * profileAttributeNames builds it from the table, which then includes these rows.
 */
export async function rememberAttributeNames(sql: postgres.Sql | postgres.TransactionSql, names: string[]) {
  if (names.length === 0) return;
  const json = JSON.stringify(names);
  await sql`
    update settings set updated_at = now(), value = (
      select jsonb_agg(k order by k collate "C") from (
        select jsonb_array_elements_text(settings.value) union select jsonb_array_elements_text(${json}::jsonb)
      ) as names(k))
    where key = ${ATTRIBUTE_NAMES_KEY} and not (value @> ${json}::jsonb)`;
}

/**
 * Distinct attribute names across all profiles, sorted. Served from a list cached in `settings` that every
 * write path here (upsertProfiles, importProfiles) extends, so it is one primary-key read. The first call
 * builds it from the table. Names are never dropped when profiles lose attributes until
 * refreshProfileAttributeNames runs.
 */
export async function profileAttributeNames(sql: postgres.Sql): Promise<string[]> {
  const [row] = await sql<
    { value: string[] }[]
  >`select value from settings where key = ${ATTRIBUTE_NAMES_KEY}`;
  return row ? row.value : refreshProfileAttributeNames(sql);
}

/**
 * Rebuilds the cached attribute names with a full scan (about 1.5 s on a million profiles). An empty
 * result is not cached, so profiles inserted behind this module's back into an empty table still show up.
 */
export async function refreshProfileAttributeNames(sql: postgres.Sql): Promise<string[]> {
  return sql.begin(async (tx) => {
    // Holds off profile writers for the scan, so none commits a new name the scan cannot see.
    await tx`lock table profiles in share mode`;
    const [row] = await tx<{ names: string[] }[]>`
      select coalesce(jsonb_agg(k order by k collate "C"), '[]'::jsonb) as names
      from (select distinct jsonb_object_keys(attributes) as k from profiles) as keys`;
    const names = row?.names ?? [];
    if (names.length === 0) {
      await tx`delete from settings where key = ${ATTRIBUTE_NAMES_KEY}`;
      return names;
    }
    await tx`
      insert into settings (key, value, updated_at) values (${ATTRIBUTE_NAMES_KEY}, ${JSON.stringify(names)}::jsonb, now())
      on conflict (key) do update set value = excluded.value, updated_at = now()`;
    return names;
  });
}
