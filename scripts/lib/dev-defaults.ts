/** What `npm run dev` uses when the environment does not say otherwise. */
export const devDefaults = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/outbound',
  temporalPort: 7233,
  temporalUiPort: 8233,
  apiPort: 4000,
  fakePort: 4010,
  fakeApiKey: 'dev-activecampaign-key',
};

export function databaseUrlOrDevDefault(env = process.env): string {
  const url = env.DATABASE_URL?.trim();
  if (url) return url;
  console.error(`DATABASE_URL is not set: using the dev database ${devDefaults.databaseUrl}`);
  return devDefaults.databaseUrl;
}
