import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import type { AcField, AcList, AcTag } from '../core/activecampaign/types.ts';
import type { PageRequest } from '../core/paging/keyset.ts';
import { builder } from './builder.ts';
import { type ConnectionRow, ConnectionType, canUseConnection } from './connection.ts';
import type { Context } from './context.ts';
import { forbidden } from './errors.ts';
import { keysetConnection } from './keyset-connection.ts';
import { upstreamError } from './upstream.ts';

const ListType = builder.objectRef<AcList>('ActiveCampaignList').implement({
  description: 'A list of the connection’s ActiveCampaign account: what an export’s listId names.',
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

const FieldType = builder.objectRef<AcField>('ActiveCampaignField').implement({
  description:
    'A custom field of the account: what a mapping’s fieldId names. Exports format values by its type.',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    type: t.exposeString('type', {
      description:
        'ActiveCampaign’s field type: text, textarea, date (sent as YYYY-MM-DD), datetime (ISO 8601), ' +
        'dropdown and radio (one of options), listbox and checkbox (several of options, sent ||a||b||), hidden.',
    }),
    options: t.exposeStringList('options', {
      description: 'The values a dropdown, radio, listbox or checkbox field accepts; empty for the others.',
    }),
  }),
});

const TagType = builder.objectRef<AcTag>('ActiveCampaignTag').implement({
  description: 'A contact tag of the account.',
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

/** The key a connection's catalog is cached under: a changed key or host is another account. */
const accountKey = (c: ConnectionRow) => `${c.id} ${c.updatedAt?.toISOString() ?? ''}`;

/** Reads the account live, for who may use the connection (a contributor only when it is open to them). */
async function read<T>(
  ctx: Context,
  connection: ConnectionRow,
  what: (account: string, open: () => ReturnType<Context['connect']>) => Promise<T>,
): Promise<T> {
  if (!canUseConnection(ctx.viewer, connection)) {
    throw forbidden(`The connection "${connection.displayName}" is open to admins only.`);
  }
  try {
    return await what(accountKey(connection), async () =>
      ctx.connect({
        apiHost: connection.apiHost,
        apiKey: await ctx.secrets.decrypt(connection.apiKeyCiphertext as string),
      }),
    );
  } catch (error) {
    throw upstreamError(error, connection.apiHost, { key: 'apiKey', host: 'apiHost' });
  }
}

/** One page of a list read whole from the account, in id order; a cursor is an item's id. */
function pageOf<T extends { id: string }>(items: T[], list: string, args: DefaultConnectionArguments) {
  const sorted = [...items].sort((a, b) => Number(a.id) - Number(b.id) || (a.id < b.id ? -1 : 1));
  const index = new Map(sorted.map((item, i) => [item.id, i]));
  return keysetConnection({
    args,
    list,
    cursorOf: (item: T) => item.id,
    isCursor: (cursor) => /^[0-9]{1,18}$/.test(cursor),
    cursorExists: async (cursor) => index.has(cursor),
    page: async ({ after, before, limit, inverted }: PageRequest) => {
      const from = after === undefined ? 0 : (index.get(after) ?? position(sorted, after)) + 1;
      const to = before === undefined ? sorted.length : (index.get(before) ?? position(sorted, before));
      const range = sorted.slice(from, Math.max(from, to));
      return inverted ? range.reverse().slice(0, limit) : range.slice(0, limit);
    },
    count: async () => sorted.length,
  });
}

/** Where an id that is not (or no longer) on the account would sit: the last item below it. */
function position<T extends { id: string }>(sorted: T[], id: string): number {
  let i = -1;
  while (i + 1 < sorted.length && Number(sorted[i + 1]?.id) < Number(id)) i++;
  return i;
}

const matching = (search: string | null | undefined, name: string) =>
  !search || name.toLowerCase().includes(search.toLowerCase());

/** A page of the account's lists or tags whose name contains `search`. */
const searchedPage =
  (kind: 'lists' | 'tags', list: string) =>
  async (c: ConnectionRow, args: DefaultConnectionArguments & { search?: string | null }, ctx: Context) => {
    const items: { id: string; name: string }[] = await read(ctx, c, (account, open) =>
      ctx.discovery[kind](account, open),
    );
    return pageOf(
      items.filter((item) => matching(args.search, item.name)),
      list,
      args,
    );
  };

builder.objectFields(ConnectionType, (t) => ({
  lists: t.connection(
    {
      type: ListType,
      description:
        'The lists of the ActiveCampaign account, read live (every page; kept for 30 seconds), in id order. ' +
        'Only for who may use the connection. `search` keeps the lists whose name contains it (any case).',
      args: { search: t.arg.string({ description: 'Only names containing this text, in any case.' }) },
      resolve: searchedPage('lists', 'Connection.lists'),
    },
    { name: 'ActiveCampaignListsConnection' },
  ),
  fields: t.field({
    type: [FieldType],
    description:
      'The custom fields of the ActiveCampaign account with their types and options, read live (every ' +
      'page; kept for 30 seconds), in id order. Only for who may use the connection.',
    resolve: async (c, _args, ctx) => {
      const fields = await read(ctx, c, (account, open) => ctx.discovery.fields(account, open));
      return [...fields].sort((a, b) => Number(a.id) - Number(b.id));
    },
  }),
  tags: t.connection(
    {
      type: TagType,
      description:
        'The contact tags of the ActiveCampaign account, read live (every page; kept for 30 seconds), in ' +
        'id order. Only for who may use the connection. `search` keeps the tags whose name contains it.',
      args: { search: t.arg.string({ description: 'Only names containing this text, in any case.' }) },
      resolve: searchedPage('tags', 'Connection.tags'),
    },
    { name: 'ActiveCampaignTagsConnection' },
  ),
}));
