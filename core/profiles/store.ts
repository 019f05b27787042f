import type postgres from 'postgres';
import { isStorableText } from '../storable-text.ts';

export type ProfileInput = { customerId: string; attributes: Record<string, unknown> };

export const PROFILE_LIMITS = { customerIdLength: 200, attributeNameLength: 200 } as const;

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
export function profileProblem(p: unknown): { field: string; message: string } | null {
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

function findProblem(p: unknown, index: number): ProfileInputError | null {
  const problem = profileProblem(p);
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

/**
 * Inserts or replaces profiles in one statement; when a customer id appears twice the later entry wins.
 * Validates everything first and throws ProfileInputError without writing anything. Returns the number
 * of distinct profiles written.
 */
export async function upsertProfiles(sql: postgres.Sql, profiles: ProfileInput[]): Promise<number> {
  const names = new Set<string>();
  profiles.forEach((p, i) => {
    const problem = findProblem(p, i);
    if (problem) throw problem;
    for (const name of Object.keys(p.attributes)) names.add(name);
  });
  if (profiles.length === 0) return 0;
  const payload = JSON.stringify(profiles.map((p) => [p.customerId, p.attributes]));
  return sql.begin(async (tx) => {
    const result = await tx`
      insert into profiles (customer_id, attributes, updated_at)
      select distinct on (e.value->>0) e.value->>0, e.value->1, now()
      from jsonb_array_elements(${payload}::jsonb) with ordinality as e(value, n)
      order by e.value->>0, e.n desc
      on conflict (customer_id) do update set attributes = excluded.attributes, updated_at = now()`;
    await rememberAttributeNames(tx, [...names]);
    return result.count;
  });
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
