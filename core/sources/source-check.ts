import type { SourceColumn } from '../../db/schema.ts';
import type { OutboundHostPolicy } from '../network/outbound-hosts.ts';
import { openSourceDatabase } from './source-database.ts';
import { previewColumns, type SourceDefinition } from './source-query.ts';

/** Connects to a source under the host policy and reads its columns' preview; closes the connection. */
export async function checkSource(
  databaseUrl: string,
  definition: SourceDefinition,
  policy: OutboundHostPolicy,
): Promise<SourceColumn[]> {
  const db = await openSourceDatabase(databaseUrl, policy);
  try {
    return await db.begin('read only', (tx) => previewColumns(tx as never, definition));
  } finally {
    await db.end({ timeout: 5 });
  }
}
