/**
 * Every environment variable Outbound reads, with its default and meaning: the source of the
 * configuration reference's table (`npm run docs:env` writes it into docs/configuration.md; a test
 * fails when the table, or this list, is stale).
 */
export type EnvironmentVariable = { name: string; default: string; meaning: string };

export const environmentVariables: EnvironmentVariable[] = [
  {
    name: 'DATABASE_URL',
    default: '— (dev: `postgres://postgres@127.0.0.1:5432/outbound`)',
    meaning: 'Postgres',
  },
  {
    name: 'OUTBOUND_SECRET_KEY',
    default: '— (dev: generated into `.data/secret-key`)',
    meaning: '32 bytes base64 (`openssl rand -base64 32`): encrypts API keys (AES-256-GCM)',
  },
  {
    name: 'TEMPORAL_ADDRESS',
    default: '`localhost:7233`',
    meaning: 'Temporal frontend, `host:port` (below: TLS, Temporal Cloud)',
  },
  {
    name: 'TEMPORAL_NAMESPACE',
    default: '`default`',
    meaning: '',
  },
  {
    name: 'TEMPORAL_API_KEY',
    default: '—',
    meaning: 'API key (Temporal Cloud): sent as `Authorization: Bearer …`; turns TLS on',
  },
  {
    name: 'TEMPORAL_TLS',
    default: 'on with an API key or a `TEMPORAL_TLS_*`',
    meaning: '`true`: TLS with the system\x27s CAs; `false`: plaintext even with the settings below',
  },
  {
    name: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    default: '— (the system\x27s CAs)',
    meaning: 'PEM of the CA that signed the server\x27s certificate (`…_DATA`: the PEM itself)',
  },
  {
    name: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
    default: '—',
    meaning: 'mTLS client certificate, PEM (`…_DATA`: the PEM itself); needs the key',
  },
  {
    name: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
    default: '—',
    meaning: 'its unencrypted private key, PEM (`…_DATA`: the PEM itself)',
  },
  {
    name: 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION',
    default: '—',
    meaning:
      "not supported by Temporal's TypeScript SDK: start-up refuses it; set `TEMPORAL_TLS_SERVER_NAME` to the name the certificate holds",
  },
  {
    name: 'TEMPORAL_TLS_SERVER_NAME',
    default: 'the address\x27s host',
    meaning: 'the name the server\x27s certificate must hold (SNI and verification), when not the host',
  },
  {
    name: 'TEMPORAL_GRPC_META_<NAME>',
    default: '—',
    meaning: 'an extra gRPC header on every call (`TEMPORAL_GRPC_META_X_TENANT=a` sends `x-tenant: a`)',
  },
  {
    name: 'TEMPORAL_CONFIG_FILE',
    default: '`~/.config/temporalio/temporal.toml` (Linux)',
    meaning: 'Temporal\x27s TOML profiles file (the `temporal` CLI\x27s); the variables above override it',
  },
  {
    name: 'TEMPORAL_PROFILE',
    default: '`default`',
    meaning: 'the profile of that file to use',
  },
  {
    name: 'TEMPORAL_TASK_QUEUE',
    default: '`outbound`',
    meaning: '',
  },
  {
    name: 'TEMPORAL_CLI',
    default: '`.tools/bin/temporal` if built, else `temporal` on `PATH`',
    meaning: 'the Temporal CLI `npm run dev` and `npm test` start the dev server with (1.5 or a later 1.x)',
  },
  {
    name: 'TEMPORAL_UI_URL',
    default: '`http://localhost:8233`',
    meaning: 'for `ExportRun.temporalUrl`',
  },
  {
    name: 'PORT',
    default: '`4000`',
    meaning: 'API port',
  },
  {
    name: 'OUTBOUND_INSECURE_HOSTS',
    default: 'empty',
    meaning:
      '`host:port`s, comma-separated, Outbound may reach over plain http or at private addresses: ActiveCampaign hosts (the fake, e.g. `127.0.0.1:4010`), webhooks, source databases; every other target needs https (TLS) and a public address',
  },
  {
    name: 'OUTBOUND_AC_INSECURE_HOSTS',
    default: 'empty',
    meaning: 'the former name of `OUTBOUND_INSECURE_HOSTS`, still read (the two lists are joined)',
  },
  {
    name: 'OUTBOUND_SMTP_URL',
    default: '—',
    meaning:
      'the mail server alert e-mails go through, `smtp://` or `smtps://user:pass@host:port` (nodemailer); without it e-mail channels cannot send',
  },
  {
    name: 'OUTBOUND_ALERT_EMAIL_FROM',
    default: '`Outbound <outbound@localhost>`',
    meaning: 'the From of alert e-mails',
  },
  {
    name: 'OUTBOUND_PUBLIC_URL',
    default: '—',
    meaning: 'where users open Outbound; alerts then link to `<url>/runs/<run id>`',
  },
  {
    name: 'OUTBOUND_MAX_PROFILES_PER_EXPORT',
    default: '`1000000`',
    meaning: 'larger runs are refused before anything is sent',
  },
  {
    name: 'OUTBOUND_MAX_ACTIVE_RUNS_PER_USER',
    default: '`5`',
    meaning: 'runs (queued or running) one user may have at once; `runExport` beyond is TOO_MANY_REQUESTS',
  },
  {
    name: 'OUTBOUND_MAX_ACTIVE_RUNS_PER_CONNECTION',
    default: '`3`',
    meaning:
      'runs (on demand or scheduled) one connection may have at once; `runExport` beyond is TOO_MANY_REQUESTS. Keep it \u00d7 busy accounts below `OUTBOUND_WORKER_MAX_ACTIVITIES`',
  },
  {
    name: 'OUTBOUND_MAX_CONTACT_ATTEMPTS',
    default: '`3`',
    meaning:
      'failures (`NOT_CREATED`, `IMPORT_FAILED_ALONE`) a contact gets with unchanged data before it is skipped as `REFUSED_REPEATEDLY`',
  },
  {
    name: 'OUTBOUND_RUN_TIME_LIMIT_MS',
    default: '`5400000`',
    meaning: 'a run\x27s deadline (90 minutes)',
  },
  {
    name: 'OUTBOUND_UNSUBSCRIBE_GUARD_PERCENT',
    default: '`10`',
    meaning: 'a run unsubscribing more of its list stops unless confirmed',
  },
  {
    name: 'OUTBOUND_SOURCE_MAX_REMOVAL_PERCENT',
    default: '`10`',
    meaning:
      'a source sync removing more of the source\x27s profiles stops (nothing changed) until `syncSource(id, confirmRemovals: true)`',
  },
  {
    name: 'OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS',
    default: '`300000`',
    meaning: "a source sync's statement timeout (5 minutes); previews use the smaller of it and 30 s",
  },
  {
    name: 'OUTBOUND_AC_RATE_SCALE',
    default: '`1`',
    meaning:
      'the limits the client keeps to: 1 = ActiveCampaign\x27s documented ones; the fake\x27s `--scale` in tests and benchmarks; 0 = none',
  },
  {
    name: 'OUTBOUND_REFRESH_SCHEDULE_ID',
    default: '`refresh`',
    meaning: 'the Temporal Schedule driving refreshes',
  },
  {
    name: 'OUTBOUND_SEGMENT_REFRESH_TIME_LIMIT_MS',
    default: '`120000`',
    meaning:
      'one segment refresh\x27s time limit (API and scheduled refresh); past it the refresh stops and the membership stays as it was',
  },
  {
    name: 'OUTBOUND_MAX_ATTRIBUTES_PER_PROFILE',
    default: '`200`',
    meaning: 'attribute keys one profile may have (API and CLI import)',
  },
  {
    name: 'OUTBOUND_MAX_ATTRIBUTE_NAMES',
    default: '`2000`',
    meaning:
      'distinct attribute names across all profiles (what `profileAttributes` lists): a write adding more is refused whole',
  },
  {
    name: 'OUTBOUND_MAX_SUBSCRIPTIONS_PER_USER',
    default: '`10`',
    meaning: 'open `exportRunProgress` streams one user may hold (each polls Postgres every second)',
  },
  {
    name: 'OUTBOUND_MAX_SUBSCRIPTIONS_PER_PROCESS',
    default: '`500`',
    meaning: 'open streams one API process serves',
  },
  {
    name: 'OUTBOUND_PLAYGROUND',
    default: '`on`',
    meaning:
      '`off` in production: no GraphiQL; no introspection and no "did you mean" suggestions without a valid token',
  },
  {
    name: 'OUTBOUND_CORS_ORIGINS',
    default: 'empty',
    meaning:
      'comma-separated origins a browser may call the API from (`https://app.example.com`); the console is same-origin',
  },
  {
    name: 'OUTBOUND_TRUST_PROXY',
    default: '`off`',
    meaning:
      '`on` only behind a reverse proxy: the client address is then the last `X-Forwarded-For` entry, not the socket peer',
  },
  {
    name: 'OUTBOUND_WORKER_HTTP_PORT',
    default: '`4001`',
    meaning: 'the worker\x27s HTTP port: `/healthz`, `/readyz`, `/metrics` (0 = any free port)',
  },
  {
    name: 'OUTBOUND_WORKER_MAX_ACTIVITIES',
    default: '`32`',
    meaning:
      'activities one worker runs at once. A push holds one for its whole run (with its read-ahead pages, ~6 MB of RSS): below the number of exports running at once, runs wait behind others\x27. Its Postgres pool grows with it (8 + a quarter, at most 24)',
  },
  {
    name: 'OUTBOUND_LOG_LEVEL',
    default: '`info`',
    meaning:
      '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`: the JSON logs of the API and the worker',
  },
  {
    name: 'OUTBOUND_WORKFLOW_BUNDLE',
    default: '— (the worker bundles workflows/ at start)',
    meaning:
      '`npm run build:workflows`\x27s `dist/workflows.js` (the image sets it): loaded instead of bundling at start; must exist',
  },
];

export const environmentTableStart =
  '<!-- environment table: generated from scripts/environment.ts by npm run docs:env -->';
export const environmentTableEnd = '<!-- end of the environment table -->';

/** The Markdown table, one row a variable, in the order above. */
export function renderEnvironmentTable(variables = environmentVariables): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = variables.map((v) => `| \`${v.name}\` | ${cell(v.default)} | ${cell(v.meaning)} |`);
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `markdown` with the text between the table's markers replaced by the current table. */
export function withEnvironmentTable(markdown: string): string {
  const start = markdown.indexOf(environmentTableStart);
  const end = markdown.indexOf(environmentTableEnd);
  if (start < 0 || end < start) throw new Error('the environment table markers are missing');
  return `${markdown.slice(0, start + environmentTableStart.length)}\n\n${renderEnvironmentTable()}\n\n${markdown.slice(end)}`;
}
