import { useState } from 'react';
import { session } from '../shell/session.ts';

export const rejectsCsvPath = (runId: string) => `/runs/${encodeURIComponent(runId)}/rejects.csv`;

/**
 * The run's rejects as CSV. The API wants the bearer token, which a plain link cannot send: the file is
 * fetched with it and handed to the browser as a download.
 */
export function RejectsCsvLink({ runId }: { runId: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = rejectsCsvPath(runId);
  const fileName = `run-${runId}-rejects.csv`;
  async function download(event: React.MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      const response = await fetch(path, { headers: { authorization: `Bearer ${session.token() ?? ''}` } });
      if (!response.ok) {
        setProblem(`The CSV could not be downloaded (HTTP ${response.status}).`);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      setProblem('The CSV could not be downloaded: the API did not answer.');
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <a href={path} download={fileName} onClick={download} aria-busy={busy} data-testid="rejects-csv">
        Download CSV
      </a>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
    </>
  );
}
