import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { refreshSegmentMembers } from '../../../core/segments/segment-refresh.ts';
import type { Db, Sql } from '../../../db/client.ts';

/**
 * Tab-separated COPY rows: customer id and attributes as JSON (no tabs, backslashes or newlines in it).
 * `Rank` is the profile's number (1…count): the bench's rule segment takes the ranks up to --profiles.
 */
function* profileRows(count: number): Generator<string> {
  for (let i = 1; i <= count; i++) {
    const id = `c${String(i).padStart(8, '0')}`;
    const attributes = {
      Email: `customer${i}@example.com`,
      FirstName: `First${i % 5000}`,
      LastName: `Last${i % 7919}`,
      Phone: `+36 1 ${1_000_000 + (i % 9_000_000)}`,
      Country: i % 3 ? 'HU' : 'AT',
      Tier: i % 10 ? 'silver' : 'gold',
      Rank: i,
    };
    yield `${id}\t${JSON.stringify(attributes)}\n`;
  }
}

function batched(rows: Generator<string>, size = 1_000): Readable {
  return Readable.from(
    (function* () {
      let batch = '';
      let n = 0;
      for (const row of rows) {
        batch += row;
        if (++n === size) {
          yield batch;
          batch = '';
          n = 0;
        }
      }
      if (batch) yield batch;
    })(),
  );
}

/** `count` profiles into the store through COPY: returns the COPY's seconds (ANALYZE after it, not timed). */
export async function copyProfiles(sql: Sql, count: number): Promise<number> {
  const started = performance.now();
  const writable = await sql`copy profiles (customer_id, attributes) from stdin`.writable();
  await pipeline(batched(profileRows(count)), writable);
  const seconds = (performance.now() - started) / 1000;
  await sql`analyze profiles`;
  return seconds;
}

/** The rule segment of the profiles ranked 1…`members` (`Rank LTE members`), not yet materialized. */
export async function createRankSegment(sql: Sql, members: number): Promise<string> {
  const rule = { attribute: 'Rank', op: 'LTE', value: members };
  const [segment] = await sql<[{ id: string }]>`
    insert into segments (name, rule) values (${`Rank ≤ ${members}`}, ${JSON.stringify(rule)}::jsonb)
    returning id`;
  return segment.id;
}

/**
 * The segment's first materialization, as the product does it (refreshSegmentMembers): its seconds.
 * A million members: the seed is not a request, so it gets more than a refresh's usual budget.
 */
export async function materializeSegment(db: Db, segmentId: string): Promise<number> {
  const started = performance.now();
  await refreshSegmentMembers(db, segmentId, { timeLimitMs: 60 * 60_000, whenBusy: 'wait' });
  return (performance.now() - started) / 1000;
}
