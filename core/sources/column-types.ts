/**
 * Postgres types a source column may have, by type OID, and how they become attribute values
 * (to_jsonb on the source side): dates and timestamps as ISO 8601 strings (timestamps in UTC),
 * numerics as numbers, booleans, arrays of those, json/jsonb as they are. Others are unsupported:
 * named in the preview and skipped, never stringified.
 */
const supported = new Map<number, string>([
  [16, 'boolean'],
  [20, 'bigint'],
  [21, 'smallint'],
  [23, 'integer'],
  [700, 'real'],
  [701, 'double precision'],
  [1700, 'numeric'],
  [25, 'text'],
  [1043, 'character varying'],
  [1042, 'character'],
  [19, 'name'],
  [2950, 'uuid'],
  [1082, 'date'],
  [1114, 'timestamp without time zone'],
  [1184, 'timestamp with time zone'],
  [114, 'json'],
  [3802, 'jsonb'],
  [1000, 'boolean[]'],
  [1005, 'smallint[]'],
  [1007, 'integer[]'],
  [1016, 'bigint[]'],
  [1021, 'real[]'],
  [1022, 'double precision[]'],
  [1231, 'numeric[]'],
  [1009, 'text[]'],
  [1015, 'character varying[]'],
  [2951, 'uuid[]'],
  [1182, 'date[]'],
  [1115, 'timestamp without time zone[]'],
  [1185, 'timestamp with time zone[]'],
]);

export const isSupportedType = (oid: number) => supported.has(oid);

/** Names a type by OID: the supported ones here, others via the source's pg_type (see typeNames). */
export const supportedTypeName = (oid: number) => supported.get(oid);
