import type { Db } from '../../db/client.ts';
import { type RejectReason, rejectReasonText } from '../export-run/contact-mapper.ts';
import { rejectOutcome } from './reject-outcome.ts';
import { allRejects, type RejectRow } from './run-rejects.ts';

export const rejectsCsvHeader = [
  'customer_id',
  'email',
  'outcome',
  'reason',
  'field',
  'value',
  'activecampaign_reason',
  'message',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line break or edge spaces, quotes
 * doubled. A cell a spreadsheet would read as a formula (starting with = + - @ — after spaces too, or
 * in their full-width forms —, a tab or a carriage return) is prefixed with a single quote, so opening
 * the file never runs one.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: Array<string | null | undefined>) => `${cells.map(csvCell).join(',')}\r\n`;

export const rejectMessage = (reason: string) => rejectReasonText[reason as RejectReason] ?? reason;

/** A reject as the CSV writes it; without `personal`, no email, value or ActiveCampaign text. */
export function rejectCsvLine(row: RejectRow, personal: boolean): string {
  return csvLine([
    row.customerId,
    personal ? row.email : null,
    rejectOutcome(row.reason),
    row.reason,
    row.field,
    personal ? row.value : null,
    personal ? row.detail : null,
    rejectMessage(row.reason),
  ]);
}

/**
 * The run's rejected, failed and skipped contacts as CSV (UTF-8, CRLF lines, a header first), streamed
 * a page of rows at a time in customer-id order.
 */
export function rejectsCsvStream(
  db: Db,
  runId: string,
  { personal, pageSize }: { personal: boolean; pageSize?: number },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pages = allRejects(db, runId, pageSize);
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        // A byte-order mark: spreadsheets then read the file as UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvLine([...rejectsCsvHeader])}`));
        return;
      }
      const next = await pages.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((row) => rejectCsvLine(row, personal)).join('')));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}
