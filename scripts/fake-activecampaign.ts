/**
 * Runs the fake ActiveCampaign for the dev setup and the benchmark:
 *   npm run fake:activecampaign -- --port 4010 --key KEY --lists 7,8 --scale 1 [--fields "1:Tier,2:City"] [--unthrottled] [--accounts K]
 *     [--import-failure-reasons]
 * `--import-failure-reasons`: an undocumented behaviour (import/info names a reason per failed email), for
 * robustness tests and to see `activecampaign:check` fail; off, the fake answers as documented.
 * Lists may be named (`7:Newsletter`); 7 and 8 default to "Newsletter" and "Customers".
 * `--accounts K`: K accounts in this one process, each with its own host (as on ActiveCampaign, where
 * the rate budget is the account's): account n (from 1) listens on port + n − 1 (each on a free port
 * of its own with --port 0) and its keys are each --key suffixed `-n`. One "listening on" line per
 * account, in order. K = 1 (default): one account with the keys as given.
 */
import { parseArgs } from 'node:util';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../fake-activecampaign/index.ts';

const knownListNames: Record<string, string> = { '7': 'Newsletter', '8': 'Customers' };

function fail(message: string): never {
  console.error(`fake-activecampaign: ${message}`);
  process.exit(2);
}

function positiveInt(raw: string, what: string): number {
  if (!/^[1-9][0-9]*$/.test(raw)) fail(`${what} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

/** "7,8" or "7:Newsletter,8:Customers" → [[7, name], ...] */
function pairs(raw: string, what: string): Array<[number, string | undefined]> {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const colon = item.indexOf(':');
      const id = positiveInt(colon < 0 ? item : item.slice(0, colon), `${what} id`);
      return [id, colon < 0 ? undefined : item.slice(colon + 1).trim()];
    });
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    key: { type: 'string', multiple: true },
    lists: { type: 'string', default: '7,8' },
    fields: { type: 'string', default: '1:Tier,2:City' },
    scale: { type: 'string', default: '1' },
    unthrottled: { type: 'boolean', default: false },
    'contact-limit': { type: 'string' },
    'import-ms': { type: 'string' },
    accounts: { type: 'string', default: '1' },
    'import-failure-reasons': { type: 'boolean', default: false },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be 0..65535, got "${values.port}"`);
const scale = Number(values.scale);
if (!(scale > 0) || !Number.isFinite(scale)) fail(`--scale must be a positive number, got "${values.scale}"`);

const fields = pairs(values.fields, 'field').map(([id, title]) => {
  if (!title) fail(`--fields entries need a title, e.g. "1:Tier"`);
  return { id, title };
});

const accountCount = positiveInt(values.accounts, '--accounts');
if (port !== 0 && port + accountCount - 1 > 65535)
  fail(`--port ${port} with --accounts ${accountCount} runs past port 65535`);
const keys = values.key?.length ? values.key : ['dev-activecampaign-key'];
const lists = pairs(values.lists, 'list').map(([id, name]) => ({
  id,
  name: name ?? knownListNames[String(id)],
}));
const contactLimit = values['contact-limit']
  ? positiveInt(values['contact-limit'], '--contact-limit')
  : undefined;
const importProcessingMs = values['import-ms'] ? Number(values['import-ms']) : undefined;

// One server per account: the product keys an account's shared rate budget by its API host.
const fakes: FakeActiveCampaign[] = [];
for (let n = 1; n <= accountCount; n++) {
  const fake = await startFakeActiveCampaign({
    port: port === 0 ? 0 : port + n - 1,
    scale,
    accounts: [
      {
        apiKeys: accountCount === 1 ? keys : keys.map((key) => `${key}-${n}`),
        lists,
        fields,
        unthrottled: values.unthrottled,
        contactLimit,
        importProcessingMs,
        deviations: { importFailureReasons: values['import-failure-reasons'] },
      },
    ],
  });
  fakes.push(fake);
  console.log(
    accountCount === 1
      ? `Fake ActiveCampaign listening on ${fake.url} (scale ${scale})`
      : `Fake ActiveCampaign listening on ${fake.url} (scale ${scale}, account ${n} of ${accountCount})`,
  );
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  Promise.all(fakes.map((fake) => fake.close())).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
