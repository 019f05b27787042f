import { isValidEmail } from '../core/activecampaign/email.ts';
import { insertAuditEvent } from '../core/audit.ts';
import {
  createUserWithToken,
  findUserByEmail,
  findUserById,
  listUsers,
  mayWriteProfiles,
  profileWriterGrantProblem,
  type UserRow,
  updateUser,
  userRoles,
} from '../core/users.ts';
import { builder } from './builder.ts';
import type { Viewer } from './context.ts';
import { badInput, conflict, forbidden, isUuid, notFound } from './errors.ts';
import { storableText } from './text-input.ts';
import { checkedExpiry } from './token-expiry.ts';

export const RoleEnum = builder.enumType('Role', { values: userRoles });

export const UserType = builder.objectRef<UserRow>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    role: t.field({ type: RoleEnum, resolve: (user) => user.role }),
    canWriteProfiles: t.boolean({
      description:
        'Whether the user may write profiles (upsertProfiles): every admin, and contributors an admin granted it.',
      resolve: (user) => mayWriteProfiles(user),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    removedAt: t.expose('removedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When an admin removed the user (`removeUser`); null: active.',
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: UserType,
    nullable: true,
    description: 'The signed-in user, or null without a valid token.',
    resolve: async (_root, _args, { viewer, sql }) =>
      viewer ? ((await findUserById(sql, viewer.id)) ?? null) : null,
  }),
);

builder.queryField('users', (t) =>
  t.field({
    type: [UserType],
    authScopes: { admin: true },
    description:
      'Every active user, by email (admins only); with `includeRemoved`, the removed ones after them (to name them in history).',
    args: { includeRemoved: t.arg.boolean({ defaultValue: false }) },
    resolve: (_root, args, { sql }) => listUsers(sql, { includeRemoved: args.includeRemoved ?? false }),
  }),
);

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
    canWriteProfiles: t.boolean({
      defaultValue: false,
      description: 'Let a CONTRIBUTOR write profiles (admins always may, viewers never).',
    }),
    tokenExpiresAt: t.field({
      type: 'DateTime',
      description: "When the user's first token expires; omit for one that never does.",
    }),
  }),
});

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  fields: (t) => ({
    role: t.field({ type: RoleEnum }),
    canWriteProfiles: t.boolean({
      description: 'Grant or withdraw a CONTRIBUTOR’s right to write profiles.',
    }),
  }),
});

const CreateUserPayload = builder.objectRef<{ user: UserRow; token: string }>('CreateUserPayload').implement({
  fields: (t) => ({
    user: t.field({ type: UserType, resolve: (p) => p.user }),
    token: t.exposeString('token', { description: 'Shown once: only its hash is stored.' }),
  }),
});

builder.mutationFields((t) => ({
  createUser: t.field({
    type: CreateUserPayload,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: async (_root, { input }, { sql, db, viewer }) => {
      const email = storableText('email', input.email.trim());
      if (!isValidEmail(email)) throw badInput('email', 'Enter a valid email address.');
      const canWriteProfiles = input.canWriteProfiles ?? false;
      const grantProblem = profileWriterGrantProblem(input.role, canWriteProfiles);
      if (grantProblem) throw badInput('canWriteProfiles', grantProblem);
      const exists = () => conflict('A user with this email already exists.', { field: 'email' });
      if (await findUserByEmail(sql, email)) throw exists();
      const tokenExpiresAt = checkedExpiry(input.tokenExpiresAt, 'tokenExpiresAt');
      const created = await createUserWithToken(sql, email, input.role, {
        canWriteProfiles,
        tokenExpiresAt,
      }).catch((error) => {
        throw (error as { code?: string }).code === '23505' ? exists() : error;
      });
      await insertAuditEvent(db, viewer?.id ?? null, 'user.created', 'User', created.user.id, {
        role: input.role,
        canWriteProfiles,
        ...(tokenExpiresAt ? { tokenExpiresAt: tokenExpiresAt.toISOString() } : {}),
      });
      return created;
    },
  }),

  updateUser: t.field({
    type: UserType,
    authScopes: { admin: true },
    description: 'Changes a user’s role or profile-writer grant; takes effect within seconds.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateUserInput, required: true }) },
    resolve: async (_root, { id, input }, { sql, db, viewer }) => {
      const current = isUuid(String(id)) ? await findUserById(sql, String(id)) : undefined;
      if (!current) throw notFound('user', String(id));
      const role = input.role ?? current.role;
      if (role !== current.role && current.id === (viewer as Viewer).id) {
        throw forbidden('Admins cannot change their own role: ask another admin.');
      }
      const grantProblem = profileWriterGrantProblem(role, input.canWriteProfiles ?? false);
      if (grantProblem) throw badInput('canWriteProfiles', grantProblem);
      const updated = await updateUser(
        sql,
        current.id,
        {
          ...(input.role != null && { role: input.role }),
          // A viewer holds no grant: demoting a profile writer withdraws it.
          ...(input.canWriteProfiles != null
            ? { canWriteProfiles: input.canWriteProfiles }
            : role === 'VIEWER' && { canWriteProfiles: false }),
        },
        (viewer as Viewer).id,
      );
      if (updated === 'not-an-admin')
        throw forbidden('You are no longer an admin: another admin changed your role or removed you.');
      if (!updated) throw notFound('user', current.id);
      await insertAuditEvent(db, viewer?.id ?? null, 'user.updated', 'User', current.id, {
        role: updated.role,
        canWriteProfiles: updated.canWriteProfiles,
        previousRole: current.role,
        previousCanWriteProfiles: current.canWriteProfiles,
      });
      return updated;
    },
  }),
}));
