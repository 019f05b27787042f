import { hash } from 'node:crypto';

/**
 * The machine's yardstick: the irreducible work per contact of an export, written here on its own
 * (not the product's mapper, which is being optimized: the yardstick must not move with it). For each
 * contact shaped like the seeded ones, its ActiveCampaign bulk-import JSON and that JSON's md5 content
 * hash. Worker and Postgres CPU per contact divided by this figure compare across machines and hours.
 */

type Attributes = { Email: string; FirstName: string; LastName: string; Phone: string };

/** Contacts as the seed shapes them (scripts/lib/bench/seed.ts), built before the timing. */
function syntheticContacts(count: number): Attributes[] {
  return Array.from({ length: count }, (_, index) => {
    const i = index + 1;
    return {
      Email: `customer${i}@example.com`,
      FirstName: `First${i % 5000}`,
      LastName: `Last${i % 7919}`,
      Phone: `+36 1 ${1_000_000 + (i % 9_000_000)}`,
    };
  });
}

/** The timed work: JSON and md5 of every contact. Returns a value that depends on every hash. */
function buildAndHash(contacts: Attributes[]): number {
  let sink = 0;
  for (const a of contacts) {
    const json = JSON.stringify({
      email: a.Email,
      first_name: a.FirstName,
      last_name: a.LastName,
      phone: a.Phone,
      subscribe: [{ listid: 7 }],
    });
    sink ^= hash('md5', json, 'base64').charCodeAt(3);
  }
  return sink;
}

/** CPU µs (user + system, this process) of `contacts`' work, divided by their number. */
function cpuMicrosPerContact(contacts: Attributes[]): number {
  const before = process.cpuUsage();
  const sink = buildAndHash(contacts);
  const used = process.cpuUsage(before);
  if (sink < 0) throw new Error('unreachable'); // keeps the work observable
  return (used.user + used.system) / contacts.length;
}

/**
 * The reference's CPU µs per contact: `rounds` timed passes over `count` synthetic contacts after one
 * untimed warm-up pass (JIT, the heap's growth), the fastest pass (the others carry the bench process's
 * garbage collection and the neighbours' noise: on this VM passes spread by a third), and every pass for
 * judging the spread.
 */
export function measureReferenceWorkload(
  count = 200_000,
  rounds = 5,
): { microsPerContact: number; rounds: number[] } {
  const contacts = syntheticContacts(count);
  buildAndHash(contacts);
  const passes = Array.from({ length: rounds }, () => cpuMicrosPerContact(contacts));
  return { microsPerContact: Math.min(...passes), rounds: passes };
}
