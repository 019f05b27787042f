import type { Sql } from '../../db/client.ts';

export type RefreshScheduleSettings = { cron: string; timezone: string; maxConcurrentExports: number };
export const defaultRefreshSchedule: RefreshScheduleSettings = {
  cron: '0 2 * * *',
  timezone: 'UTC',
  maxConcurrentExports: 4,
};

const settingsKey = 'refreshSchedule';

/** The refresh Schedule's saved settings (core/temporal/refresh-schedule.ts keeps the Schedule in line). */
export async function readScheduleSettings(sql: Sql): Promise<RefreshScheduleSettings> {
  const [row] = await sql<
    [{ value: Partial<RefreshScheduleSettings> }?]
  >`select value from settings where key = ${settingsKey}`;
  return { ...defaultRefreshSchedule, ...row?.value };
}

export async function saveScheduleSettings(sql: Sql, settings: RefreshScheduleSettings): Promise<void> {
  await sql`
    insert into settings (key, value) values (${settingsKey}, ${JSON.stringify(settings)}::jsonb)
    on conflict (key) do update set value = excluded.value, updated_at = now()`;
}
