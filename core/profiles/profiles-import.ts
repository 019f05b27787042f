import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import {
  attributeNameBudgetMessage,
  attributeNameProblem,
  attributeNamesAfter,
  customerIdProblem,
  defaultProfileGrowthLimits,
  type ProfileGrowthLimits,
  profileProblem,
  rememberAttributeNames,
} from './store.ts';

export type ImportOptions = {
  onProgress?(rowsDone: number, bytesDone: number, bytesTotal: number): void;
  /** Rows per COPY write and per progress report. */
  batchRows?: number;
  /** Bytes per file read (default 1 MiB); tests use tiny reads to split records at every position. */
  chunkBytes?: number;
  /** Attribute keys per profile and distinct attribute names overall (default: the documented defaults). */
  limits?: ProfileGrowthLimits;
  /** Runs inside the import's transaction once the rows are merged (the CLI records its audit event). */
  onImported?: (tx: postgres.TransactionSql, summary: { imported: number; badRows: number }) => Promise<void>;
};
export type BadRow = { line: number; reason: string };
export type ImportResult = {
  /** Distinct profiles inserted or updated. */
  imported: number;
  /** The first MAX_BAD_ROWS_KEPT bad rows, by line. */
  badRows: BadRow[];
  badRowCount: number;
};

/** The file as a whole cannot be imported (missing, unreadable, unknown format, bad header); nothing was written. */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

export const MAX_BAD_ROWS_KEPT = 10_000;
/** Longer records are rejected without being held in memory. */
export const MAX_RECORD_CHARS = 1 << 20;

type RowSink = {
  good(line: number, customerId: string, attributesJson: string): void;
  bad(line: number, reason: string): void;
};
type Parser = { push(text: string): void; end(): void };

export type ProfileFileFormat = 'csv' | 'ndjson';

/**
 * Streams a .csv or .ndjson/.jsonl file into `profiles` (importProfileText, read from disk).
 */
export async function importProfiles(
  sql: postgres.Sql,
  filePath: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const format = formatOf(filePath);
  const file = await openFile(filePath);
  try {
    const bytesTotal = (await file.stat()).size;
    const chunks = file.createReadStream({ highWaterMark: options.chunkBytes ?? 1 << 20, autoClose: false });
    return await importProfileText(sql, format, chunks as AsyncIterable<Uint8Array>, bytesTotal, options);
  } finally {
    await file.close();
  }
}

/**
 * Streams CSV or NDJSON bytes into `profiles`: rows are validated one by one (bad ones are reported by
 * line and skipped), COPYed into a temporary staging table, then merged with one upsert in which the
 * last row of a customer id wins. All of it runs in one transaction.
 */
export async function importProfileText(
  sql: postgres.Sql,
  format: ProfileFileFormat,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  bytesTotal: number,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const batchRows = Math.max(1, options.batchRows ?? 10_000);
  const badRows: BadRow[] = [];
  const names = new Set<string>();
  let badRowCount = 0;
  let rowsDone = 0;
  let bytesDone = 0;
  let pending: string[] = [];

  const sink: RowSink = {
    good(line, customerId, attributesJson) {
      rowsDone++;
      pending.push(`${line}\t${copyText(customerId)}\t${copyText(attributesJson)}\n`);
    },
    bad(line, reason) {
      rowsDone++;
      badRowCount++;
      if (badRows.length < MAX_BAD_ROWS_KEPT) badRows.push({ line, reason });
    },
  };
  const limits = options.limits ?? defaultProfileGrowthLimits;
  const parser =
    format === 'csv'
      ? csvParser(sink, names, limits.maxAttributesPerProfile)
      : ndjsonParser(sink, names, limits.maxAttributesPerProfile);

  async function* copyData(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8');
    let batchStart = 0;
    for await (const chunk of chunks) {
      bytesDone += chunk.byteLength;
      parser.push(decoder.decode(chunk, { stream: true }));
      if (rowsDone - batchStart >= batchRows) {
        batchStart = rowsDone;
        if (pending.length > 0) yield pending.join('');
        pending = [];
        options.onProgress?.(rowsDone, bytesDone, bytesTotal);
      }
    }
    parser.push(decoder.decode());
    parser.end();
    if (pending.length > 0) yield pending.join('');
    pending = [];
    options.onProgress?.(rowsDone, bytesDone, bytesTotal);
  }

  const imported = await sql.begin(async (tx) => {
    await tx`set local work_mem = '256MB'`;
    await tx`
      create temporary table profiles_import_staging (
        line integer not null, customer_id text collate "C" not null, attributes jsonb not null
      ) on commit drop`;
    const copy = await tx`copy profiles_import_staging (line, customer_id, attributes) from stdin`.writable();
    await pipeline(copyData, copy);
    const total = await attributeNamesAfter(tx, [...names]);
    if (total > limits.maxAttributeNames) {
      throw new ImportFileError(attributeNameBudgetMessage(limits.maxAttributeNames, total));
    }
    const merged = await tx`
      insert into profiles (customer_id, attributes, updated_at)
      select distinct on (customer_id) customer_id, attributes, now()
      from profiles_import_staging
      order by customer_id, line desc
      on conflict (customer_id) do update set attributes = excluded.attributes, updated_at = now()`;
    await rememberAttributeNames(tx, [...names]);
    await options.onImported?.(tx, { imported: merged.count, badRows: badRowCount });
    return merged.count;
  });
  return { imported, badRows, badRowCount };
}

function formatOf(filePath: string): ProfileFileFormat {
  const ext = extname(filePath).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new ImportFileError(`${filePath}: unsupported file type "${ext}"; use .csv, .ndjson or .jsonl`);
}

async function openFile(filePath: string): Promise<FileHandle> {
  let file: FileHandle | undefined;
  try {
    file = await open(filePath, 'r');
    if (!(await file.stat()).isFile()) throw new Error('not a regular file');
    return file;
  } catch (e) {
    await file?.close();
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new ImportFileError(`cannot read ${filePath}: ${why}`);
  }
}

/** Escapes a value for COPY's text format. */
function copyText(s: string): string {
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;
}

const hasNul = (s: string) => s.includes('\u0000');

function csvParser(sink: RowSink, names: Set<string>, maxAttributes: number): Parser {
  let header: { idIndex: number; names: string[]; keys: string[]; seen: boolean[] } | null = null;
  const onRecord = (fields: string[], line: number, error: string | null) => {
    if (!error && fields.length === 1 && fields[0] === '') return; // blank line
    if (!header) {
      if (error) throw new ImportFileError(`line ${line}: cannot read the header row: ${error}`);
      header = parseHeader(fields, line);
      if (fields.length - 1 > maxAttributes) {
        throw new ImportFileError(
          `line ${line}: ${fields.length - 1} attribute columns; profiles may have at most ${maxAttributes} ` +
            'attributes (OUTBOUND_MAX_ATTRIBUTES_PER_PROFILE)',
        );
      }
      return;
    }
    if (error) return sink.bad(line, error);
    if (fields.length !== header.names.length) {
      return sink.bad(
        line,
        `expected ${header.names.length} columns as in the header, found ${fields.length}`,
      );
    }
    const customerId = fields[header.idIndex] ?? '';
    const idProblem = customerIdProblem(customerId);
    if (idProblem) return sink.bad(line, `${header.names[header.idIndex]} ${idProblem}`);
    let json = '';
    for (let i = 0; i < fields.length; i++) {
      const value = fields[i] as string;
      if (i === header.idIndex || value === '') continue;
      if (hasNul(value)) return sink.bad(line, `column "${header.names[i]}" contains a NUL character`);
      json += `${json === '' ? '{' : ','}${header.keys[i]}:${JSON.stringify(value)}`;
      header.seen[i] = true;
    }
    sink.good(line, customerId, json === '' ? '{}' : `${json}}`);
  };
  const records = csvRecords(onRecord);
  return {
    push: records.push,
    end() {
      records.end();
      if (!header)
        throw new ImportFileError('the file is empty: expected a header row with a customer_id column');
      header.seen.forEach((seen, i) => {
        if (seen) names.add(header?.names[i] as string);
      });
    },
  };
}

function parseHeader(fields: string[], line: number) {
  const idColumns = fields.filter((f) => f === 'customer_id' || f === 'customerId');
  if (idColumns.length !== 1) {
    throw new ImportFileError(
      `line ${line}: the header row needs exactly one customer_id (or customerId) column, found ${idColumns.length}`,
    );
  }
  const idIndex = fields.findIndex((f) => f === 'customer_id' || f === 'customerId');
  fields.forEach((name, i) => {
    if (i === idIndex) return;
    const problem = attributeNameProblem(name);
    if (problem) throw new ImportFileError(`line ${line}: column ${i + 1}: ${problem}`);
    if (fields.indexOf(name) !== i) throw new ImportFileError(`line ${line}: column "${name}" appears twice`);
  });
  return {
    idIndex,
    names: fields,
    keys: fields.map((f) => JSON.stringify(f)),
    seen: fields.map(() => false),
  };
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
// Parser states.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/**
 * RFC 4180 records from text pushed in arbitrary pieces. Each record carries the line it starts on; a
 * malformed record is still delimited (so later line numbers stay right) and reported with its error.
 */
function csvRecords(onRecord: (fields: string[], line: number, error: string | null) => void) {
  let state: number = FIELD_START;
  let fields: string[] = [];
  let field = '';
  let size = 0;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let error: string | null = null;
  let first = true;

  const append = (piece: string) => {
    if (piece === '' || size > MAX_RECORD_CHARS) return;
    size += piece.length;
    if (size > MAX_RECORD_CHARS) {
      error = `record longer than ${MAX_RECORD_CHARS} characters`;
      fields = [];
      field = '';
    } else field += piece;
  };
  const endField = () => {
    if (size <= MAX_RECORD_CHARS) fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    onRecord(fields, recordLine, error);
    fields = [];
    size = 0;
    error = null;
  };
  const fail = (reason: string) => {
    error ??= reason;
  };

  return {
    push(text: string) {
      let s = text;
      if (first && s.length > 0) {
        first = false;
        if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      }
      const n = s.length;
      let start = 0;
      let i = 0;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (state === UNQUOTED) {
          if (c === COMMA) {
            append(s.slice(start, i));
            endField();
            state = FIELD_START;
          } else if (c === LF) {
            append(s.slice(start, i));
            if (field.endsWith('\r')) field = field.slice(0, -1);
            endRecord();
            line++;
            recordLine = line;
            state = FIELD_START;
          } else if (c === QUOTE) {
            fail('a quote inside an unquoted field (quote the whole field and double the quotes in it)');
          }
          i++;
        } else if (state === QUOTED) {
          if (c === QUOTE) {
            append(s.slice(start, i));
            state = QUOTE_IN_QUOTED;
          } else if (c === LF) line++;
          i++;
        } else if (state === FIELD_START) {
          if (c === QUOTE) {
            state = QUOTED;
            quoteLine = line;
            start = ++i;
          } else {
            state = UNQUOTED;
            start = i;
          }
        } else {
          // After a quote inside a quoted field: an escaped quote, the field's end, or garbage.
          if (c === QUOTE) {
            append('"');
            state = QUOTED;
            start = ++i;
          } else if (c === COMMA) {
            endField();
            state = FIELD_START;
            i++;
          } else if (c === LF) {
            endRecord();
            line++;
            recordLine = line;
            state = FIELD_START;
            i++;
          } else if (c === CR) {
            i++;
          } else {
            fail(`unexpected text after a closing quote on line ${line}`);
            state = UNQUOTED;
            start = i;
          }
        }
      }
      if (state === UNQUOTED || state === QUOTED) append(s.slice(start, n));
    },
    end() {
      if (state === QUOTED) fail(`a quoted field opened on line ${quoteLine} is never closed`);
      if (state !== FIELD_START || fields.length > 0) {
        if (state === UNQUOTED && field.endsWith('\r')) field = field.slice(0, -1);
        endRecord();
      }
      state = FIELD_START;
    },
  };
}

function ndjsonParser(sink: RowSink, names: Set<string>, maxAttributes: number): Parser {
  let rest = '';
  let line = 1;
  let tooLong = false;
  const onLine = (text: string) => {
    const current = line++;
    if (tooLong || text.length > MAX_RECORD_CHARS) {
      tooLong = false;
      return sink.bad(current, `line longer than ${MAX_RECORD_CHARS} characters`);
    }
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (trimmed.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      return sink.bad(current, `invalid JSON: ${(e as Error).message}`);
    }
    const problem = profileProblem(value, maxAttributes);
    if (problem) return sink.bad(current, problem.message);
    const { customerId, attributes } = value as { customerId: string; attributes: Record<string, unknown> };
    const json = JSON.stringify(attributes);
    for (const name of Object.keys(attributes)) names.add(name);
    sink.good(current, customerId, json);
  };
  return {
    push(text: string) {
      let from = 0;
      let nl = text.indexOf('\n');
      while (nl >= 0) {
        onLine(rest + text.slice(from, nl));
        rest = '';
        from = nl + 1;
        nl = text.indexOf('\n', from);
      }
      if (!tooLong) rest += text.slice(from);
      if (rest.length > MAX_RECORD_CHARS) {
        tooLong = true;
        rest = '';
      }
    },
    end() {
      if (rest !== '' || tooLong) onLine(rest);
      rest = '';
    },
  };
}
