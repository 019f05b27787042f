import type { SourceColumn } from '../../db/schema.ts';
import {
  defaultSourceStatementTimeoutMs,
  previewStatementTimeoutMs,
  type SourcePolicy,
} from './source-database.ts';
import { previewColumns, type SourceDefinition } from './source-query.ts';
import { withSourceTransaction } from './source-transaction.ts';

/**
 * Connects to a source under the policy and reads its columns' preview, each statement bounded by the
 * smaller of 30 s and OUTBOUND_SOURCE_STATEMENT_TIMEOUT_MS; cancelled when `signal` aborts.
 */
export async function checkSource(
  databaseUrl: string,
  definition: SourceDefinition,
  policy: SourcePolicy,
  signal?: AbortSignal,
): Promise<SourceColumn[]> {
  const timeoutMs = Math.min(
    previewStatementTimeoutMs,
    policy.statementTimeoutMs ?? defaultSourceStatementTimeoutMs,
  );
  return withSourceTransaction(databaseUrl, policy, { timeoutMs, signal }, (source) =>
    previewColumns(source, definition),
  );
}
