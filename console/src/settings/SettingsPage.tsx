import { type FormEvent, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { may, useViewer } from '../shell/viewer.ts';
import { TextField } from '../ui/form.tsx';
import { when } from '../ui/format.ts';
import { ProblemMessage } from '../ui/Problem.tsx';

const Schedule = graphql(`
  query RefreshScheduleSettings {
    refreshSchedule {
      cron
      timezone
      nextRunAt
      lastRunAt
      maxConcurrentExports
    }
  }
`);

const UpdateSchedule = graphql(`
  mutation UpdateRefreshSchedule($cron: String!, $timezone: String!) {
    updateRefreshSchedule(cron: $cron, timezone: $timezone) {
      cron
      timezone
      nextRunAt
    }
  }
`);

export function SettingsPage() {
  const viewer = useViewer();
  return (
    <>
      <RefreshScheduleSection editable={may.administer(viewer)} />
      <p className="help">
        Users and their tokens: <a href="#/users">Users</a>. Who changed what: <a href="#/audit">Audit log</a>
        . The API itself: <a href="/graphql">GraphiQL</a> (paste your token as the Authorization header).
      </p>
    </>
  );
}

function RefreshScheduleSection({ editable }: { editable: boolean }) {
  const [{ data, error }] = useQuery({ query: Schedule });
  const [saved, save] = useMutation(UpdateSchedule);
  const [cron, setCron] = useState('');
  const [timezone, setTimezone] = useState('');
  const schedule = data?.refreshSchedule;
  useEffect(() => {
    if (schedule) {
      setCron(schedule.cron);
      setTimezone(schedule.timezone);
    }
  }, [schedule]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save({ cron, timezone });
  };
  const next = saved.data?.updateRefreshSchedule.nextRunAt ?? schedule?.nextRunAt;
  return (
    <section className="panel" aria-labelledby="schedule-title">
      <h2 id="schedule-title">Refresh schedule</h2>
      <p className="help">At each refresh every segment is recomputed and the enabled exports run.</p>
      <ProblemMessage error={error} />
      {schedule && (
        <dl>
          <dt>Next run</dt>
          <dd data-testid="next-run">{when(next)}</dd>
          <dt>Last run</dt>
          <dd>{when(schedule.lastRunAt)}</dd>
          <dt>Exports at a time</dt>
          <dd>{schedule.maxConcurrentExports}</dd>
        </dl>
      )}
      {schedule && editable && (
        <form onSubmit={submit} aria-label="Refresh schedule">
          <TextField
            id="schedule-cron"
            label="Cron expression"
            required
            value={cron}
            onChange={setCron}
            help={
              <>
                Minute, hour, day of month, month, day of week: <code>0 3 * * *</code> is every day at 03:00.
              </>
            }
          />
          <TextField id="schedule-tz" label="Time zone" required value={timezone} onChange={setTimezone} />
          <ProblemMessage error={saved.error} />
          {saved.data && <p role="status">Schedule saved.</p>}
          <button type="submit" disabled={saved.fetching}>
            Save schedule
          </button>
        </form>
      )}
      {schedule && !editable && (
        <p>
          Runs on <code>{schedule.cron}</code> ({schedule.timezone}). Administrators change it.
        </p>
      )}
    </section>
  );
}
