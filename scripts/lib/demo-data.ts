import { upsertProfiles } from '../../core/profiles/store.ts';
import {
  defaultSegmentRefreshTimeLimitMs,
  refreshSegmentMembers,
} from '../../core/segments/segment-refresh.ts';
import type { Db, Sql } from '../../db/client.ts';

const firstNames = ['Ada', 'Béla', 'Csilla', 'Dénes', 'Eszter', 'Ferenc', 'Gizella', 'Hugó'];
const lastNames = ['Lovelace', 'Kovács', 'Nagy', 'Szabó', 'Tóth', 'Varga'];
const countries = ['HU', 'AT', 'DE'];

/** On an empty database: 200 demo profiles and two segments, so the first export works from GraphiQL. */
export async function seedDemoData({ sql, db }: { sql: Sql; db: Db }): Promise<string> {
  const [row] = await sql<[{ n: number }]>`select count(*)::int as n from profiles`;
  if (row.n > 0) return `kept the ${row.n} profiles already in the database`;
  const profiles = Array.from({ length: 200 }, (_, i) => ({
    customerId: `demo-${String(i + 1).padStart(4, '0')}`,
    attributes: {
      Email: `customer${i + 1}@example.com`,
      FirstName: firstNames[i % firstNames.length],
      LastName: lastNames[i % lastNames.length],
      Phone: `+36 1 555 ${String(1000 + i)}`,
      Country: countries[i % countries.length],
      Tier: i % 10 === 0 ? 'gold' : 'standard',
      City: i % 2 ? 'Budapest' : 'Vienna',
    },
  }));
  await upsertProfiles(sql, profiles);
  const segments = await sql<{ id: string; name: string }[]>`
    insert into segments (name, rule) values
      ('Demo: customers in Hungary', ${JSON.stringify({ all: [{ attribute: 'Country', op: 'EQ', value: 'HU' }] })}::jsonb),
      ('Demo: first ten', ${JSON.stringify({ customerIds: profiles.slice(0, 10).map((p) => p.customerId) })}::jsonb)
    returning id, name`;
  for (const segment of segments) {
    await refreshSegmentMembers(db, segment.id, {
      timeLimitMs: defaultSegmentRefreshTimeLimitMs,
      whenBusy: 'wait',
    });
  }
  return `200 profiles (attributes Email, FirstName, LastName, Phone, Country, Tier, City); segments ${segments
    .map((s) => `"${s.name}" ${s.id}`)
    .join(', ')}`;
}
