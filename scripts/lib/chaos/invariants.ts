import { type ChaosEnvironment, chaosApiKey, chaosListId, chaosTaggedListId } from './environment.ts';

export type Counts = {
  contactsLost: number;
  contactsResubscribed: number;
  duplicateDeliveries: number;
  stuckProcesses: number;
  invariantViolations: number;
  contactsChecked: number;
  alertsDelivered: number;
  /** Tagged export: a segment member without one of its tags; a tag twice; one left on a leaver. */
  tagsMissing: number;
  tagsDoubled: number;
  tagsOnLeavers: number;
  /** Contacts of the tagged export's list whose tags were checked, over all its runs. */
  tagsChecked: number;
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
    tagsMissing: 0,
    tagsDoubled: 0,
    tagsOnLeavers: 0,
    tagsChecked: 0,
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

/** The run succeeded and its counts add up. */
function runProblems(run: FinishedRun): string[] {
  const problems: string[] = [];
  if (run.status !== 'SUCCEEDED') problems.push(`run ended ${run.status}`);
  if (run.sentCount !== run.exportedCount + run.failedCount + run.skippedCount + run.unconfirmedCount) {
    problems.push(
      `sent ${run.sentCount} ≠ exported ${run.exportedCount} + failed ${run.failedCount} + skipped ${run.skippedCount} + unconfirmed ${run.unconfirmedCount}`,
    );
  }
  return problems;
}

/** The emails of the segment (`Email EXISTS`): every profile's that has one. */
async function segmentEmails(env: ChaosEnvironment): Promise<Set<string>> {
  const rows = await env.sql<{ email: string }[]>`
    select attributes->>'Email' as email from profiles where attributes ? 'Email'`;
  return new Set(rows.map((r) => r.email));
}

/**
 * After a run: it succeeded; the run's counts add up; the list's subscribed members are exactly the
 * segment's emails, but for members once unsubscribed while out of the segment: those stay
 * unsubscribed, in the segment or not. Returns what broke (and counts it).
 */
export async function checkRun(env: ChaosEnvironment, run: FinishedRun, counts: Counts): Promise<string[]> {
  const problems = runProblems(run);
  const segment = await segmentEmails(env);
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

/**
 * After a run of the tagged export (`onLeave: REMOVE_TAGS`): it succeeded and its counts add up; every
 * segment member is subscribed to its list and carries each of the export's tags exactly once; every
 * contact of the list outside the segment (a leaver) carries none of them and stays subscribed; the
 * account has each tag once. Tag names compare case-insensitively, as ActiveCampaign's do.
 */
export async function checkTaggedRun(
  env: ChaosEnvironment,
  run: FinishedRun,
  tags: string[],
  counts: Counts,
): Promise<string[]> {
  const problems = runProblems(run);
  const wanted = tags.map((tag) => tag.toLowerCase());
  const account = env.fake.account(chaosApiKey);
  const segment = await segmentEmails(env);
  const members = account.listMembers(chaosTaggedListId);
  const subscribed = new Set(members.filter((m) => m.status === 'subscribed').map((m) => m.email));
  const lost = [...segment].filter((email) => !subscribed.has(email));
  const unsubscribed = members.filter((m) => m.status !== 'subscribed');
  let missing = 0;
  let doubled = 0;
  let onLeavers = 0;
  for (const email of new Set([...segment, ...members.map((m) => m.email)])) {
    const names = account.contactTags(email).map((name) => name.toLowerCase());
    const ours = names.filter((name) => wanted.includes(name));
    doubled += ours.length - new Set(ours).size;
    if (segment.has(email)) missing += wanted.filter((tag) => !names.includes(tag)).length;
    else onLeavers += new Set(ours).size;
  }
  const accountTags = account.tagNames().map((name) => name.toLowerCase());
  for (const tag of wanted) doubled += Math.max(0, accountTags.filter((name) => name === tag).length - 1);
  counts.contactsChecked += segment.size;
  counts.contactsLost += lost.length;
  counts.tagsChecked += new Set([...segment, ...members.map((m) => m.email)]).size;
  counts.tagsMissing += missing;
  counts.tagsDoubled += doubled;
  counts.tagsOnLeavers += onLeavers;
  if (lost.length) problems.push(`${lost.length} segment members not subscribed on the tagged list`);
  if (unsubscribed.length)
    problems.push(`${unsubscribed.length} tagged list members unsubscribed (REMOVE_TAGS)`);
  if (missing) problems.push(`${missing} tags missing on segment members`);
  if (doubled) problems.push(`${doubled} tags doubled`);
  if (onLeavers) problems.push(`${onLeavers} tags left on leavers`);
  counts.invariantViolations += problems.length;
  return problems;
}
