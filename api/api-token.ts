import { insertAuditEvent } from '../core/audit.ts';
import { type ApiTokenRow, createToken, findToken, listTokens, revokeToken } from '../core/tokens.ts';
import { findUserById } from '../core/users.ts';
import { builder } from './builder.ts';
import { forbidden, isUuid, notFound } from './errors.ts';
import { checkedName } from './text-input.ts';
import { checkedExpiry } from './token-expiry.ts';
import { UserType } from './user.ts';

export const ApiTokenType = builder.objectRef<ApiTokenRow>('ApiToken').implement({
  description: 'A bearer token of a user: never the token itself, only its name and last characters.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    masked: t.exposeString('masked', { description: '`obt_…` and the last four characters.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'Null: never.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'To the minute.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(UserType, 'tokens', (t) =>
  t.field({
    type: [ApiTokenType],
    description: "The user's tokens, oldest first: for admins and the user.",
    authScopes: (user, _args, { viewer }) =>
      viewer?.id === user.id ? { authenticated: true } : { admin: true },
    resolve: (user, _args, { sql }) => listTokens(sql, user.id),
  }),
);

const CreateTokenInput = builder.inputType('CreateTokenInput', {
  fields: (t) => ({
    userId: t.id({ required: true }),
    name: t.string({ required: true }),
    expiresAt: t.field({ type: 'DateTime', description: 'Omit for a token that never expires.' }),
  }),
});

const CreateTokenPayload = builder
  .objectRef<{ token: string; apiToken: ApiTokenRow }>('CreateTokenPayload')
  .implement({
    fields: (t) => ({
      token: t.exposeString('token', { description: 'Shown once: only its hash is stored.' }),
      apiToken: t.field({ type: ApiTokenType, resolve: (p) => p.apiToken }),
    }),
  });

builder.mutationField('createToken', (t) =>
  t.field({
    type: CreateTokenPayload,
    authScopes: { admin: true },
    description: 'A new token for a user (admins only).',
    args: { input: t.arg({ type: CreateTokenInput, required: true }) },
    resolve: async (_root, { input }, { sql, db, viewer }) => {
      const userId = String(input.userId);
      const name = checkedName('name', input.name, 'tokenName');
      const expiresAt = checkedExpiry(input.expiresAt, 'expiresAt');
      if (!isUuid(userId) || !(await findUserById(sql, userId))) throw notFound('user', userId);
      const created = await createToken(sql, userId, name, expiresAt);
      await insertAuditEvent(db, viewer?.id ?? null, 'token.created', 'ApiToken', created.apiToken.id, {
        userId,
        expiresAt: expiresAt?.toISOString() ?? null,
      });
      return created;
    },
  }),
);

builder.mutationField('revokeToken', (t) =>
  t.field({
    type: ApiTokenType,
    authScopes: { authenticated: true },
    description:
      'Deletes a token: refused at once by every API process. Admins revoke any, others their own.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { sql, db, viewer, forgetToken }) => {
      const tokenId = String(id);
      const token = isUuid(tokenId) ? await findToken(sql, tokenId) : undefined;
      if (!token) throw notFound('token', tokenId);
      if (viewer?.role !== 'ADMIN' && viewer?.id !== token.userId)
        throw forbidden(`Your role (${viewer?.role}) does not allow revoking another user's token.`);
      const revoked = await revokeToken(sql, tokenId);
      if (!revoked) throw notFound('token', tokenId);
      forgetToken(revoked.tokenHash);
      await insertAuditEvent(db, viewer?.id ?? null, 'token.revoked', 'ApiToken', tokenId, {
        userId: token.userId,
      });
      return revoked.apiToken;
    },
  }),
);
