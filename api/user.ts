import { isValidEmail } from '../core/activecampaign/email.ts';
import { createUserWithToken, findUserByEmail, listUsers, type UserRow, userRoles } from '../core/users.ts';
import { recordAudit } from './audit.ts';
import { builder } from './builder.ts';
import { badInput, conflict } from './errors.ts';
import { checkedExpiry } from './token-expiry.ts';

export const RoleEnum = builder.enumType('Role', { values: userRoles });

export const UserType = builder.objectRef<UserRow>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    role: t.field({ type: RoleEnum, resolve: (user) => user.role }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: UserType,
    nullable: true,
    description: 'The signed-in user, or null without a valid token.',
    resolve: async (_root, _args, { viewer, sql }) =>
      viewer ? ((await findUserByEmail(sql, viewer.email)) ?? null) : null,
  }),
);

builder.queryField('users', (t) =>
  t.field({
    type: [UserType],
    authScopes: { admin: true },
    description: 'Every user, by email (admins only).',
    resolve: (_root, _args, { sql }) => listUsers(sql),
  }),
);

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
    tokenExpiresAt: t.field({
      type: 'DateTime',
      description: "When the user's first token expires; omit for one that never does.",
    }),
  }),
});

const CreateUserPayload = builder.objectRef<{ user: UserRow; token: string }>('CreateUserPayload').implement({
  fields: (t) => ({
    user: t.field({ type: UserType, resolve: (p) => p.user }),
    token: t.exposeString('token', { description: 'Shown once: only its hash is stored.' }),
  }),
});

builder.mutationField('createUser', (t) =>
  t.field({
    type: CreateUserPayload,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: async (_root, { input }, { sql, db, viewer }) => {
      if (!isValidEmail(input.email.trim())) throw badInput('email', 'Enter a valid email address.');
      const exists = () => conflict('A user with this email already exists.', { field: 'email' });
      if (await findUserByEmail(sql, input.email)) throw exists();
      const expiresAt = checkedExpiry(input.tokenExpiresAt, 'tokenExpiresAt');
      const created = await createUserWithToken(sql, input.email, input.role, expiresAt).catch((error) => {
        throw (error as { code?: string }).code === '23505' ? exists() : error;
      });
      await recordAudit(db, viewer, 'user.created', 'User', created.user.id, {
        role: input.role,
        ...(expiresAt ? { tokenExpiresAt: expiresAt.toISOString() } : {}),
      });
      return created;
    },
  }),
);
