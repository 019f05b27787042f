import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import type { ProfileFileFormat } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { GeneralProblem, useFormProblem } from '../ui/form.tsx';

const ImportProfiles = graphql(`
  mutation ImportProfiles($input: ImportProfilesInput!) {
    importProfiles(input: $input) {
      imported
      badRowCount
      badRows {
        line
        reason
      }
    }
  }
`);

/** The API's request limit is 2 MB; the file's text must fit in it with the request around it. */
const maxUploadBytes = 2 * 1024 * 1024 - 16 * 1024;

function formatOf(file: File): ProfileFileFormat | undefined {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'CSV';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'NDJSON';
  return undefined;
}

/** A CSV or NDJSON file from this computer, imported as `cli profiles:import` does, with its report by line. */
export function ProfileUpload({ onImported }: { onImported: () => void }) {
  const [imported, importProfiles] = useMutation(ImportProfiles);
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState('');
  const problem = useFormProblem(imported.error, { content: 'profiles-file' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFileProblem('');
    const format = file && formatOf(file);
    if (!file || !format) return setFileProblem('Choose a .csv, .ndjson or .jsonl file.');
    if (file.size > maxUploadBytes)
      return setFileProblem(
        'This file is larger than 2 MB: import it with npm run cli -- profiles:import on the server.',
      );
    const result = await importProfiles({ input: { format, content: await file.text() } });
    if (result.data) onImported();
  };
  const report = imported.data?.importProfiles;
  const fileError = fileProblem || problem.of('profiles-file');
  return (
    <form onSubmit={submit} aria-label="Upload profiles" className="upload">
      <div className="field">
        <label htmlFor="profiles-file">Profiles file (CSV or NDJSON)</label>
        <input
          id="profiles-file"
          type="file"
          accept=".csv,.ndjson,.jsonl,text/csv"
          aria-describedby={`profiles-file-help${fileError ? ' profiles-file-error' : ''}`}
          aria-invalid={fileError ? true : undefined}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <p id="profiles-file-help" className="help">
          CSV: a header row with a <code>customer_id</code> column, one profile a row. NDJSON: one{' '}
          <code>{'{"customerId": …, "attributes": {…}}'}</code> a line. Up to 2 MB; rows with a problem are
          left out and listed by line.
        </p>
        {fileError && (
          <p id="profiles-file-error" role="alert" className="problem">
            {fileError}
          </p>
        )}
      </div>
      <GeneralProblem sentence={problem.general} />
      <button type="submit" disabled={imported.fetching}>
        {imported.fetching ? 'Importing…' : 'Upload profiles'}
      </button>
      {report && (
        <div role="status" className="notice" data-testid="import-report">
          <p>
            Imported {report.imported.toLocaleString()} profiles; {report.badRowCount.toLocaleString()} bad
            rows
          </p>
          {report.badRows.length > 0 && (
            <ul className="plain">
              {report.badRows.map((b) => (
                <li key={b.line}>
                  line {b.line}: {b.reason}
                </li>
              ))}
            </ul>
          )}
          {report.badRowCount > report.badRows.length && (
            <p>… and {(report.badRowCount - report.badRows.length).toLocaleString()} more</p>
          )}
        </div>
      )}
    </form>
  );
}
