import { type ChaosEnvironment, chaosApiKey, chaosListId } from './environment.ts';

export type Counts = {
  contactsLost: number;
  contactsResubscribed: number;
  duplicateDeliveries: number;
  stuckProcesses: number;
  invariantViolations: number;
  contactsChecked: number;
  alertsDelivered: number;
  /**
   * Emails the list has shown unsubscribed while their profile was out of the segment: Outbound never
   * subscribes them again, also when they come back (an import cannot; they are skipped as UNSUBSCRIBED).
   */
  unsubscribed: Set<string>;
};

export function newCounts(): Counts {
  return {
    contactsLost: 0,
    contactsResubscribed: 0,
    duplicateDeliveries: 0,
    stuckProcesses: 0,
    invariantViolations: 0,
    contactsChecked: 0,
    alertsDelivered: 0,
    unsubscribed: new Set(),
  };
}

type FinishedRun = {
  status: string;
  sentCount: number;
  exportedCount: number;
  failedCount: number;
  skippedCount: number;
  unconfirmedCount: number;
};

/**
 * After a run: it succeeded; the run's counts add up; the list's subscribed members are exactly the
 * segment's emails, but for members once unsubscribed while out of the segment: those stay
 * unsubscribed, in the segment or not. Returns what broke (and counts it).
 */
export async function checkRun(env: ChaosEnvironment, run: FinishedRun, counts: Counts): Promise<string[]> {
  const problems: string[] = [];
  if (run.status !== 'SUCCEEDED') problems.push(`run ended ${run.status}`);
  if (run.sentCount !== run.exportedCount + run.failedCount + run.skippedCount + run.unconfirmedCount) {
    problems.push(
      `sent ${run.sentCount} ≠ exported ${run.exportedCount} + failed ${run.failedCount} + skipped ${run.skippedCount} + unconfirmed ${run.unconfirmedCount}`,
    );
  }
  const segment = new Set(
    (
      await env.sql<{ email: string }[]>`
        select attributes->>'Email' as email from profiles where attributes ? 'Email'`
    ).map((r) => r.email),
  );
  const members = env.fake.account(chaosApiKey).listMembers(chaosListId);
  const subscribed = new Set(members.filter((m) => m.status === 'subscribed').map((m) => m.email));
  const lost = [...segment].filter((email) => !subscribed.has(email) && !counts.unsubscribed.has(email));
  const extra = [...subscribed].filter((email) => !segment.has(email));
  const resubscribed = [...subscribed].filter((email) => counts.unsubscribed.has(email));
  for (const member of members) {
    if (member.status === 'unsubscribed' && !segment.has(member.email)) counts.unsubscribed.add(member.email);
  }
  counts.contactsChecked += segment.size;
  counts.contactsLost += lost.length;
  counts.contactsResubscribed += resubscribed.length;
  if (lost.length) problems.push(`${lost.length} segment members not subscribed on the list`);
  if (extra.length) problems.push(`${extra.length} subscribed list members not in the segment`);
  if (resubscribed.length) problems.push(`${resubscribed.length} unsubscribed contacts subscribed again`);
  counts.invariantViolations += problems.length;
  return problems;
}
