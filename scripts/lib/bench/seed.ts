import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { refreshSegmentMembers } from '../../../core/segments/segment-refresh.ts';
import type { Db, Sql } from '../../../db/client.ts';

/** Tab-separated COPY rows: customer id and attributes as JSON (no tabs, backslashes or newlines in it). */
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

/** `count` profiles through COPY, and one segment of all of them, materialized. */
export async function seedProfiles(
  database: { sql: Sql; db: Db },
  count: number,
): Promise<{ segmentId: string }> {
  const { sql, db } = database;
  const writable = await sql`copy profiles (customer_id, attributes) from stdin`.writable();
  await pipeline(batched(profileRows(count)), writable);
  await sql`analyze profiles`;
  const [segment] = await sql<[{ id: string }]>`
    insert into segments (name, rule) values ('Everyone', ${JSON.stringify({ all: [{ attribute: 'Email', op: 'EXISTS' }] })}::jsonb)
    returning id`;
  // A million members: the seed is not a request, so it gets more than a refresh's usual budget.
  await refreshSegmentMembers(db, segment.id, { timeLimitMs: 30 * 60_000, whenBusy: 'wait' });
  return { segmentId: segment.id };
}
