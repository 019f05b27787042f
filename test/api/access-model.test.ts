import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createUserWithToken } from '../../core/users.ts';
import { type FakeActiveCampaign, startFakeActiveCampaign } from '../../fake-activecampaign/index.ts';
import { setUpExport } from '../support/fixtures.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';
import { auditDoc, expectNothingWritten, expectRejected, tokenFor, upsertProfilesDoc } from './helpers.ts';

const apiKey = 'access-model-key-0001';
const createUserDoc = `mutation($input: CreateUserInput!) {
  createUser(input: $input) { user { id role canWriteProfiles } token }
}`;
const updateUserDoc = `mutation($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) { id role canWriteProfiles }
}`;
const refreshDoc = 'mutation($id: ID!) { refreshSegment(id: $id) { id memberCount } }';

let fake: FakeActiveCampaign;
let outbound: Outbound;
let contributor: { id: string; token: string };
let viewer: string;

const profileOf = (customerId: string, email: string) => ({
  customerId,
  attributes: { Email: email, FirstName: 'Chosen', LastName: 'Name', Phone: '+36 1 555 0100' },
});

async function storedEmail(customerId: string): Promise<unknown> {
  const [row] = await outbound.sql<{ email: string }[]>`
    select attributes->>'Email' as email from profiles where customer_id = ${customerId}`;
  return row?.email;
}

beforeAll(async () => {
  fake = await startFakeActiveCampaign({ accounts: [{ apiKeys: [apiKey], lists: [7] }] });
  outbound = await startOutbound({ insecureHosts: [fake.host], rateScale: 0, worker: false });
  const { user, token } = await createUserWithToken(outbound.sql, 'contributor@outbound.test', 'CONTRIBUTOR');
  contributor = { id: user.id, token };
  viewer = await tokenFor(outbound, 'VIEWER');
});

afterAll(async () => {
  await outbound?.close();
  await fake?.close();
});

// Each test brings its own profiles, segments and exports, and starts with a contributor without the grant.
beforeEach(async () => {
  await outbound.sql`truncate profiles, segments, connections cascade`;
  await outbound.sql`update users set can_write_profiles = false where id = ${contributor.id}`;
});

describe('profile writes are the admins’, and the contributors they grant it', () => {
  test('a contributor without the grant cannot rewrite a profile of an admin-only export’s segment', async () => {
    await outbound.gql(upsertProfilesDoc, { p: [profileOf('vip-1', 'vip@example.com')] });
    await setUpExport(outbound, fake, { apiKey, name: 'Admin-only export', customerIds: ['vip-1'] });

    const attempt = await outbound.graphql(
      upsertProfilesDoc,
      { p: [profileOf('vip-1', 'contributor-choice@example.com')] },
      contributor.token,
    );
    expectRejected(attempt, { code: 'FORBIDDEN', message: /admin.*canWriteProfiles/ });
    const byViewer = await outbound.graphql(
      upsertProfilesDoc,
      { p: [profileOf('vip-1', 'viewer-choice@example.com')] },
      viewer,
    );
    expectRejected(byViewer, { code: 'FORBIDDEN', message: /VIEWER/ });
    expect(await storedEmail('vip-1')).toBe('vip@example.com');
    expect((await outbound.gql('{ viewer { canWriteProfiles } }', {}, contributor.token)).viewer).toEqual({
      canWriteProfiles: false,
    });
  });

  test('an admin grants and withdraws the right; each write is audited with counts and segments, no personal data', async () => {
    await outbound.gql(upsertProfilesDoc, { p: [profileOf('vip-1', 'vip@example.com')] });
    const { segmentId } = await setUpExport(outbound, fake, {
      apiKey,
      name: 'Admin-only export',
      customerIds: ['vip-1'],
    });
    const { updateUser } = await outbound.gql(updateUserDoc, {
      id: contributor.id,
      input: { canWriteProfiles: true },
    });
    expect(updateUser).toEqual({ id: contributor.id, role: 'CONTRIBUTOR', canWriteProfiles: true });

    const written = await outbound.gql(
      upsertProfilesDoc,
      { p: [profileOf('vip-1', 'granted@example.com'), profileOf('new-1', 'new@example.com')] },
      contributor.token,
    );
    expect(written.upsertProfiles).toBe(2);
    expect(await storedEmail('vip-1')).toBe('granted@example.com');

    const auditEvents = (await outbound.gql(auditDoc, { subjectId: 'profiles' })).auditEvents.nodes;
    expect(auditEvents[0]).toMatchObject({
      action: 'profiles.upserted',
      actorEmail: 'contributor@outbound.test',
      subjectType: 'Profiles',
      details: { written: 2, created: 1, updated: 1, segments: [{ segmentId, members: 1 }] },
    });
    const trail = JSON.stringify(auditEvents);
    for (const data of ['granted@example.com', 'new@example.com', 'Chosen', 'vip-1', 'new-1'])
      expect(trail).not.toContain(data);
    const grants = (await outbound.gql(auditDoc, { subjectId: contributor.id })).auditEvents.nodes;
    expect(grants[0]).toMatchObject({
      action: 'user.updated',
      actorEmail: 'admin@outbound.test',
      details: { canWriteProfiles: true, previousCanWriteProfiles: false },
    });

    await outbound.gql(updateUserDoc, { id: contributor.id, input: { canWriteProfiles: false } });
    // Effective at once: the grant is read from the database on every write.
    expectRejected(
      await outbound.graphql(
        upsertProfilesDoc,
        { p: [profileOf('vip-1', 'again@example.com')] },
        contributor.token,
      ),
      { code: 'FORBIDDEN' },
    );
    expect(await storedEmail('vip-1')).toBe('granted@example.com');
  });

  test('createUser can grant it to a contributor, never to a viewer', async () => {
    const { createUser } = await outbound.gql(createUserDoc, {
      input: { email: 'writer@outbound.test', role: 'CONTRIBUTOR', canWriteProfiles: true },
    });
    expect(createUser.user).toMatchObject({ role: 'CONTRIBUTOR', canWriteProfiles: true });
    expect(
      (await outbound.gql(upsertProfilesDoc, { p: [profileOf('w-1', 'w@example.com')] }, createUser.token))
        .upsertProfiles,
    ).toBe(1);

    const refused = await expectNothingWritten(outbound, () =>
      outbound.graphql(createUserDoc, {
        input: { email: 'viewer2@outbound.test', role: 'VIEWER', canWriteProfiles: true },
      }),
    );
    expectRejected(refused, { code: 'BAD_USER_INPUT', field: 'canWriteProfiles' });
    // Demoting a profile writer to viewer withdraws the grant.
    const { updateUser } = await outbound.gql(updateUserDoc, {
      id: createUser.user.id,
      input: { role: 'VIEWER' },
    });
    expect(updateUser).toMatchObject({ role: 'VIEWER', canWriteProfiles: false });
  });

  test('only admins change users, and not their own role', async () => {
    for (const token of [contributor.token, viewer]) {
      const result = await expectNothingWritten(outbound, () =>
        outbound.graphql(updateUserDoc, { id: contributor.id, input: { canWriteProfiles: true } }, token),
      );
      expectRejected(result, { code: 'FORBIDDEN' });
    }
    const { viewer: admin } = await outbound.gql('{ viewer { id canWriteProfiles } }');
    expect(admin.canWriteProfiles).toBe(true);
    expectRejected(await outbound.graphql(updateUserDoc, { id: admin.id, input: { role: 'VIEWER' } }), {
      code: 'FORBIDDEN',
      message: /own role/,
    });
  });
});

describe('a segment exported through an admin-only connection is the admins’ to change', () => {
  test('a contributor cannot refresh it; an admin can; refreshes are audited with counts', async () => {
    await outbound.gql(upsertProfilesDoc, { p: [profileOf('early-1', 'early@example.com')] });
    const { segmentId, connectionId } = await setUpExport(outbound, fake, {
      apiKey,
      name: 'Guarded export',
      rule: { all: [{ attribute: 'LastName', op: 'EQ', value: 'Name' }] },
    });
    const before = await outbound.sql<{ generation: number; member_count: number }[]>`
      select generation, member_count from segments where id = ${segmentId}`;
    const refused = await outbound.graphql(refreshDoc, { id: segmentId }, contributor.token);
    expectRejected(refused, { code: 'FORBIDDEN', message: /admin-only connections: only admins/ });
    expectRejected(await outbound.graphql(refreshDoc, { id: segmentId }, viewer), { code: 'FORBIDDEN' });
    expect(await outbound.sql`select generation, member_count from segments where id = ${segmentId}`).toEqual(
      before,
    );

    await outbound.gql(upsertProfilesDoc, { p: [profileOf('late-1', 'late@example.com')] });
    const { refreshSegment } = await outbound.gql(refreshDoc, { id: segmentId });
    const auditEvents = (await outbound.gql(auditDoc, { subjectId: segmentId })).auditEvents.nodes;
    expect(auditEvents[0]).toMatchObject({
      action: 'segment.refreshed',
      actorEmail: 'admin@outbound.test',
      details: {
        memberCount: refreshSegment.memberCount,
        previousMemberCount: refreshSegment.memberCount - 1,
      },
    });
    expect(auditEvents.at(-1)).toMatchObject({
      action: 'segment.created',
      details: { memberCount: before[0]?.member_count },
    });

    // Opened to contributors, the connection no longer makes the segment admin-only.
    await outbound.gql(
      'mutation($id: ID!) { updateConnection(id: $id, input: { contributorsCanUse: true }) { id } }',
      {
        id: connectionId,
      },
    );
    expect((await outbound.gql(refreshDoc, { id: segmentId }, contributor.token)).refreshSegment.id).toBe(
      segmentId,
    );
    expect((await outbound.gql(auditDoc, { subjectId: segmentId })).auditEvents.nodes[0]).toMatchObject({
      action: 'segment.refreshed',
      actorEmail: 'contributor@outbound.test',
    });
  });

  test('a contributor still refreshes segments no admin-only export uses', async () => {
    await outbound.gql(upsertProfilesDoc, { p: [profileOf('w-1', 'w@example.com')] });
    const { createSegment } = await outbound.gql(
      'mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }',
      { input: { name: 'Free segment', rule: { customerIds: ['w-1'] } } },
      contributor.token,
    );
    expect(
      (await outbound.gql(refreshDoc, { id: createSegment.id }, contributor.token)).refreshSegment,
    ).toEqual({
      id: createSegment.id,
      memberCount: 1,
    });
  });
});
