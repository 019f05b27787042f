/**
 * A seeded fault campaign (docs/chaos.md): `npm run chaos -- --runs N --seed S [--profiles P]`.
 * Prints one JSON line; exits 1 when an invariant broke (the seed and schedule are in the log above it).
 */
import { parseArgs } from 'node:util';
import { runCampaign } from './lib/chaos/campaign.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '6' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    profiles: { type: 'string', default: '600' },
  },
});
const whole = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${text}`);
  return n;
};
const result = await runCampaign({
  seed: whole('seed', values.seed),
  runs: whole('runs', values.runs),
  profiles: whole('profiles', values.profiles),
  log: (line) => console.error(line),
});
console.log(JSON.stringify(result));
const broken =
  result.contactsLost +
  result.contactsResubscribed +
  result.duplicateDeliveries +
  result.tagsMissing +
  result.tagsDoubled +
  result.tagsOnLeavers;
process.exit(broken + result.stuckProcesses + result.invariantViolations > 0 ? 1 : 0);
