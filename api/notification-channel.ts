import {
  type ChannelRow,
  changeChannel,
  createChannel,
  deleteChannel,
  deliveryPages,
  findChannel,
  listChannels,
} from '../core/alerts/channel-store.ts';
import { channelUrlProblem, maskUrl } from '../core/alerts/channel-url.ts';
import { type Delivery, sendTestMessage } from '../core/alerts/deliver.ts';
import type { channelKinds } from '../core/alerts/events.ts';
import { newSigningSecret } from '../core/alerts/signature.ts';
import { builder } from './builder.ts';
import { deleteByIdField } from './by-id-fields.ts';
import type { Context } from './context.ts';
import { badInput, notFound } from './errors.ts';
import { uuidKeysetConnection } from './keyset-connection.ts';
import { loadById } from './load-by-id.ts';
import { checkedName, storableText } from './text-input.ts';

export const ChannelKindEnum = builder.enumType('NotificationChannelKind', {
  values: {
    WEBHOOK: { description: 'A JSON POST signed with `Outbound-Signature` (see docs/alerts.md).' },
    SLACK: { description: 'A Slack incoming-webhook URL; a readable message.' },
    EMAIL: { description: 'An e-mail to `emailTo` through OUTBOUND_SMTP_URL.' },
  },
});

export const NotificationChannelType = builder.objectRef<ChannelRow>('NotificationChannel').implement({
  description: 'Where alerts go. Admins only.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.field({ type: ChannelKindEnum, resolve: (c) => c.kind }),
    urlMasked: t.exposeString('urlMasked', {
      nullable: true,
      description: 'The URL’s origin and last four characters; the URL itself is encrypted at rest.',
    }),
    emailTo: t.exposeString('emailTo', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
  }),
});

export const NotificationDeliveryType = builder.objectRef<Delivery>('NotificationDelivery').implement({
  description: 'One message to one channel: for a run and rule (at most one each), or a test message.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.exposeString('status', {
      description:
        'PENDING (not tried yet), SENT, or FAILED (the last attempt failed; it is retried with backoff).',
    }),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed.' }),
    createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
  }),
});

const CreateNotificationChannelInput = builder.inputType('CreateNotificationChannelInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: ChannelKindEnum, required: true }),
    url: t.string({
      description:
        'WEBHOOK and SLACK: https to a public address, unless its host:port is in OUTBOUND_INSECURE_HOSTS.',
    }),
    emailTo: t.string({ description: 'EMAIL: the address alerts are sent to.' }),
  }),
});

const UpdateNotificationChannelInput = builder.inputType('UpdateNotificationChannelInput', {
  fields: (t) => ({
    name: t.string(),
    url: t.string({ description: 'WEBHOOK and SLACK: a new URL (checked as on creation).' }),
    emailTo: t.string({ description: 'EMAIL: a new address.' }),
  }),
});

const CreatedNotificationChannel = builder
  .objectRef<{ channel: ChannelRow; signingSecret: string | null }>('CreatedNotificationChannel')
  .implement({
    fields: (t) => ({
      channel: t.field({ type: NotificationChannelType, resolve: (r) => r.channel }),
      signingSecret: t.exposeString('signingSecret', {
        nullable: true,
        description: 'WEBHOOK: the secret that signs each body. Shown only here, once: store it now.',
      }),
    }),
  });

async function checkUrl(ctx: Context, url: string): Promise<string> {
  const problem = await channelUrlProblem(storableText('url', url), ctx.alerts.hostPolicy);
  if (problem) throw badInput('url', problem);
  return url;
}

function checkEmail(emailTo: string): string {
  const address = storableText('emailTo', emailTo).trim();
  if (!/^[^\s@<>,]+@[^\s@<>,]+$/.test(address)) throw badInput('emailTo', 'Not an e-mail address.');
  return address;
}

function checkName(name: string): string {
  return checkedName('name', name, 'channelName');
}

export function loadChannel(ctx: Context, id: string): Promise<ChannelRow> {
  return loadById('notification channel', id, (known) => findChannel(ctx.db, known));
}

builder.queryFields((t) => ({
  notificationChannels: t.field({
    type: [NotificationChannelType],
    authScopes: { admin: true },
    description: 'Every channel, newest first.',
    resolve: (_root, _args, ctx) => listChannels(ctx.db),
  }),
  notificationDeliveries: t.connection(
    {
      type: NotificationDeliveryType,
      authScopes: { admin: true },
      description: 'Every delivery (run alerts and test messages), newest first.',
      resolve: (_root, args, ctx) =>
        uuidKeysetConnection(args, 'Query.notificationDeliveries', deliveryPages(ctx.db)),
    },
    { name: 'NotificationDeliveriesConnection' },
  ),
}));

builder.mutationFields((t) => ({
  createNotificationChannel: t.field({
    type: CreatedNotificationChannel,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateNotificationChannelInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const name = checkName(input.name);
      const kind = input.kind as (typeof channelKinds)[number];
      const url = kind === 'EMAIL' ? null : await checkUrl(ctx, input.url ?? '');
      const emailTo = kind === 'EMAIL' ? checkEmail(input.emailTo ?? '') : null;
      const signingSecret = kind === 'WEBHOOK' ? newSigningSecret() : null;
      const channel = await createChannel(ctx.db, ctx.viewer?.id ?? null, {
        name,
        kind,
        urlCiphertext: url ? await ctx.secrets.encrypt(url) : null,
        urlMasked: url ? maskUrl(url) : null,
        emailTo,
        signingSecretCiphertext: signingSecret ? await ctx.secrets.encrypt(signingSecret) : null,
      });
      return { channel, signingSecret };
    },
  }),

  updateNotificationChannel: t.field({
    type: NotificationChannelType,
    authScopes: { admin: true },
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateNotificationChannelInput, required: true }),
    },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await loadChannel(ctx, String(id));
      if (input.url != null && current.kind === 'EMAIL')
        throw badInput('url', 'An e-mail channel has no URL.');
      if (input.emailTo != null && current.kind !== 'EMAIL') {
        throw badInput('emailTo', 'Only an e-mail channel has an address.');
      }
      const url = input.url == null ? null : await checkUrl(ctx, input.url);
      const updated = await changeChannel(
        ctx.db,
        ctx.viewer?.id ?? null,
        current.id,
        {
          ...(input.name != null && { name: checkName(input.name) }),
          ...(url && { urlCiphertext: await ctx.secrets.encrypt(url), urlMasked: maskUrl(url) }),
          ...(input.emailTo != null && { emailTo: checkEmail(input.emailTo) }),
        },
        Object.keys(input).filter((k) => input[k as keyof typeof input] != null),
      );
      if (!updated) throw notFound('notification channel', current.id);
      return updated;
    },
  }),

  deleteNotificationChannel: deleteByIdField(t, {
    authScopes: { admin: true },
    description: 'Deletes the channel with its rules and deliveries.',
    load: loadChannel,
    remove: (ctx, channel) => deleteChannel(ctx.db, ctx.viewer?.id ?? null, channel.id),
  }),

  testNotificationChannel: t.field({
    type: NotificationDeliveryType,
    authScopes: { admin: true },
    description: 'Sends a test message now (one attempt) and returns how it went.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const channel = await loadChannel(ctx, String(id));
      return sendTestMessage({ ...ctx.alerts, sql: ctx.sql, secrets: ctx.secrets }, channel.id);
    },
  }),
}));
