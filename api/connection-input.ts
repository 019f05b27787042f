import { parseApiHost } from '../core/activecampaign/host.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { badInput } from './errors.ts';
import { checkedName } from './text-input.ts';
import { upstreamError } from './upstream.ts';

export const CreateConnectionInput = builder.inputType('CreateConnectionInput', {
  fields: (t) => ({
    displayName: t.string({ required: true }),
    apiHost: t.string({
      required: true,
      description: 'Hostname only, e.g. youraccount.api-us1.com (no https://).',
    }),
    apiKey: t.string({ required: true }),
    contributorsCanUse: t.boolean({ defaultValue: false, description: 'Default: admins only.' }),
    acceptDataPrivacy: t.boolean({
      required: true,
      description: 'Must be true: exports send customers’ personal data to ActiveCampaign.',
    }),
  }),
});

export const UpdateConnectionInput = builder.inputType('UpdateConnectionInput', {
  fields: (t) => ({
    displayName: t.string(),
    apiHost: t.string({
      description:
        'Changing it needs apiKey too (checked against the new host): a stored key never goes to a new host.',
    }),
    apiKey: t.string({ description: 'Changing it checks the new key against ActiveCampaign.' }),
    contributorsCanUse: t.boolean(),
  }),
});

export function checkConsent(accepted: boolean): void {
  if (accepted === true) return;
  throw badInput(
    'acceptDataPrivacy',
    'Accept the data-privacy terms: exports send customers’ emails, names and phone numbers to ActiveCampaign, ' +
      'which processes them under its own terms.',
  );
}

export function checkDisplayName(name: string): string {
  return checkedName('displayName', name, 'connectionName');
}

export function checkHost(apiHost: string): string {
  const host = parseApiHost(apiHost);
  if (!host.ok) throw badInput('apiHost', host.message);
  return host.host;
}

/** Visible ASCII only: the key travels in an HTTP header (`Api-Token`), which holds nothing else. */
const headerSafeKey = /^[\x21-\x7e]+$/;

export function checkKey(apiKey: string): string {
  const key = apiKey.trim();
  if (key.length < 8 || /\s/.test(key)) {
    throw badInput('apiKey', 'Paste the API key from Settings › Developer in ActiveCampaign.');
  }
  if (!headerSafeKey.test(key)) {
    throw badInput(
      'apiKey',
      'This is not an ActiveCampaign API key: it has characters an API key cannot have. ' +
        'Paste it again from Settings › Developer in ActiveCampaign.',
    );
  }
  return key;
}

/** The live check: the key must open the account (`GET /users/me`). */
export async function verifyKey(ctx: Context, apiHost: string, apiKey: string): Promise<void> {
  try {
    const client = await ctx.connect({ apiHost, apiKey });
    await client.me();
  } catch (error) {
    throw upstreamError(error, apiHost);
  }
}
