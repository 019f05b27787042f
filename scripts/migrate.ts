import { ensureDatabase, runMigrations } from '../db/migrate.ts';
import { databaseUrlOrDevDefault } from './lib/dev-defaults.ts';

const url = databaseUrlOrDevDefault();
await ensureDatabase(url);
await runMigrations(url);
console.log('Database migrated.');
