import { createDb } from '../../../db/client.ts';
import { ensureDatabase } from '../../../db/migrate.ts';

/** Drops the database `url` names (whatever is connected to it) and creates it empty. */
export async function freshDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = '/postgres';
  const adminDb = createDb(admin.toString(), { max: 1 });
  await adminDb.sql.unsafe(`drop database if exists "${name}" with (force)`);
  await adminDb.close();
  await ensureDatabase(url);
}
