import type { FakeAccount } from '../../fake-activecampaign/index.ts';

/** Bulk imports the account received after its `from`-th request. */
export const importsAfter = (account: FakeAccount, from: number) =>
  account
    .requests()
    .slice(from)
    .filter((r) => r.path === '/api/3/import/bulk_import').length;
