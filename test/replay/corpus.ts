import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from './history-json.ts';

/** The replay corpus: one history per file, `<workflow>-<what happened>.json`. */
export const historiesDir = new URL('../fixtures/histories/', import.meta.url);

/** The workflow type each file name starts with. */
export const workflowTypeByPrefix = {
  'export-run-': 'exportRunWorkflow',
  'refresh-': 'refreshWorkflow',
  'run-alerts-': 'runAlertsWorkflow',
  'source-sync-': 'sourceSyncWorkflow',
  'event-alerts-': 'eventAlertsWorkflow',
  'source-change-': 'sourceChangeWorkflow',
};

export function readCorpus() {
  return readdirSync(historiesDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const json = readFileSync(new URL(file, historiesDir), 'utf8');
      return { name: file.replace(/\.json$/, ''), json, history: historyFromJSON(JSON.parse(json)) };
    });
}

/** Every string of a JSON history, and the text of those that are base64 (payload data). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
    if (value.length >= 8 && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
      out.push(Buffer.from(value, 'base64').toString('utf8'));
    }
  } else if (Array.isArray(value)) {
    for (const item of value) strings(item, out);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) strings(item, out);
  }
  return out;
}

/** What the test fixtures' profiles and keys look like: emails, names, phones, API keys. */
const personal = [/[\w.+-]+@[\w-]+\.[a-z]{2,}/i, /\b(First|Last)\d+/, /\+36 1 \d/, /-key-\d/];

/** The personal data (or key) found in a JSON history, quoted; empty when there is none. */
export function findPersonalData(json: string): string[] {
  return strings(JSON.parse(json)).filter((text) => personal.some((pattern) => pattern.test(text)));
}
