import { parseArgs } from 'node:util';
import { isValidEmail } from '../core/activecampaign/email.ts';
import { isStorableText } from '../core/storable-text.ts';
import { createUserWithToken, findUserByEmail, type UserRole, userRoles } from '../core/users.ts';
import { createDb } from '../db/client.ts';
import { loadProfileLimits } from './config.ts';
import { runActiveCampaignCheckCommand } from './lib/activecampaign-check-command.ts';
import { databaseUrlOrDevDefault } from './lib/dev-defaults.ts';
import { runProfilesImportCommand } from './lib/profiles-import-command.ts';
import { runSecretKeyRotateCommand } from './lib/secret-key-rotate-command.ts';

const usage = `Usage:
  npm run cli -- user:create --email <email> --role <ADMIN|CONTRIBUTOR|VIEWER>   prints the new user's token last
  npm run cli -- profiles:import <file.csv|file.ndjson>                          loads profiles in bulk
  npm run cli -- secret-key:rotate [--new-key <base64>]                          re-encrypts the stored secrets
                 from OUTBOUND_SECRET_KEY to the new key (read from standard input without --new-key)
  npm run cli -- activecampaign:check --host <host> --key <key> --list <id> [--cleanup]
                 checks, against your account, each ActiveCampaign behaviour Outbound relies on`;

/** `activecampaign:check`: talks to ActiveCampaign only, so it opens no database. */
async function activeCampaignCheck(rest: string[]): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: {
      host: { type: 'string' },
      key: { type: 'string' },
      list: { type: 'string' },
      cleanup: { type: 'boolean', default: false },
    },
  });
  if (!values.host || !values.key || !values.list)
    return fail('activecampaign:check needs --host, --key and --list.');
  if (!/^[1-9][0-9]*$/.test(values.list)) return fail('--list must be a list id such as 7.');
  return await runActiveCampaignCheckCommand({
    host: values.host,
    key: values.key,
    listId: values.list,
    cleanup: values.cleanup,
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'activecampaign:check') return activeCampaignCheck(rest);
  const database = createDb(databaseUrlOrDevDefault(), { max: 2, applicationName: 'outbound-cli' });
  try {
    switch (command) {
      case 'user:create': {
        const { values } = parseArgs({
          args: rest,
          options: { email: { type: 'string' }, role: { type: 'string' } },
        });
        const email = values.email?.trim() ?? '';
        const role = (values.role ?? '').toUpperCase() as UserRole;
        if (!isStorableText(email) || !isValidEmail(email))
          return fail('--email must be a valid email address.');
        if (!userRoles.includes(role)) return fail(`--role must be one of ${userRoles.join(', ')}.`);
        if (await findUserByEmail(database.sql, email))
          return fail(`A user with email ${email} already exists.`);
        const { user, token } = await createUserWithToken(database.sql, email, role);
        console.log(`Created ${user.role} ${user.email} (${user.id}). Its API token, shown only now:`);
        console.log(token);
        return 0;
      }
      case 'profiles:import': {
        const file = rest[0];
        if (!file) return fail('profiles:import needs a file: npm run cli -- profiles:import profiles.csv');
        return (await runProfilesImportCommand(database.sql, file, process.stdout, loadProfileLimits()))
          ? 0
          : 1;
      }
      case 'secret-key:rotate': {
        const { values } = parseArgs({ args: rest, options: { 'new-key': { type: 'string' } } });
        return await runSecretKeyRotateCommand(database.sql, values['new-key']);
      }
      default:
        return fail(command ? `Unknown command "${command}".` : 'No command given.');
    }
  } finally {
    await database.close();
  }
}

function fail(message: string): number {
  console.error(`${message}\n\n${usage}`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
