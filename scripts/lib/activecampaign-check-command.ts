import { createConnector } from '../../core/activecampaign/connector.ts';
import { runContractCheck } from '../../core/activecampaign/contract-check/run-check.ts';
import { isActiveCampaignError } from '../../core/activecampaign/errors.ts';
import { createSpacedRateLimiter } from '../../core/activecampaign/spaced-rate-limiter.ts';
import { parseInsecureHosts } from '../../core/network/outbound-hosts.ts';

/** 4 requests a second: within the account's documented 5, leaving room for whatever else uses it. */
const checkRequestIntervalMs = 250;

/**
 * `cli activecampaign:check --host H --key K --list L [--cleanup]`: one line per behaviour, then
 * `N passed, M failed`. Resolves 0 when all passed, 1 otherwise. Never prints the key.
 */
export async function runActiveCampaignCheckCommand(input: {
  host: string;
  key: string;
  listId: string;
  cleanup: boolean;
}): Promise<number> {
  const connect = createConnector({
    insecureHosts: parseInsecureHosts(
      process.env.OUTBOUND_INSECURE_HOSTS,
      process.env.OUTBOUND_AC_INSECURE_HOSTS,
    ),
    limiter: createSpacedRateLimiter(checkRequestIntervalMs),
    maxAttempts: 3,
  });
  let client: Awaited<ReturnType<typeof connect>>;
  try {
    client = await connect({ apiHost: input.host, apiKey: input.key });
  } catch (error) {
    console.error(isActiveCampaignError(error) ? error.message : 'The API host could not be used.');
    return 2;
  }
  const results = await runContractCheck({
    client,
    listId: input.listId,
    cleanup: input.cleanup,
    print: (line) => console.log(line),
  });
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
