import type { Account } from './account.ts';
import { type ParsedImport, validateImport, validationMessage } from './bulk-validation.ts';
import { syncContact } from './contact-sync.ts';
import { updateContact } from './contact-update.ts';
import { queryContacts } from './contacts-query.ts';
import {
  contactJson,
  contactListJson,
  errors422,
  fieldJson,
  fieldOptionsJson,
  invalidJson,
  listJson,
  notFound,
  paging,
} from './responses.ts';
import { routeTags } from './tags.ts';
import type { Reply } from './types.ts';

export type ApiRequest = {
  account: Account;
  method: string;
  /** The path after /api/3, e.g. `/contacts`. */
  path: string;
  query: URLSearchParams;
  body: Buffer;
  now: number;
  /** Set for POST /import/bulk_import (parsed before admission, to pick the rate-limit budget). */
  parsedImport: ParsedImport | undefined;
};

const unknownRoute: Reply = { status: 404, body: { message: 'No Result found for route' } };

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function toId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^[1-9][0-9]*$/.test(value)) return Number(value);
  return undefined;
}

function bulkImport({ account, parsedImport, now }: ApiRequest): Reply {
  if (!parsedImport?.contacts || parsedImport.error) {
    const reason = parsedImport?.error ?? 'The request body is not valid JSON.';
    return { status: 400, body: { success: 0, message: validationMessage, failureReasons: [reason] } };
  }
  const result = validateImport(parsedImport.contacts, account.store);
  if (result.failureReasons) {
    return {
      status: 400,
      body: { success: 0, message: validationMessage, failureReasons: result.failureReasons },
    };
  }
  const received = parsedImport.contacts.length;
  const batchId = account.imports.enqueue(
    result.contacts,
    received,
    account.faults.takeStuck(),
    now,
    parsedImport.excludeAutomations,
  );
  account.noteReceived(received);
  return {
    status: 200,
    body: { success: 1, queued_contacts: received, batchId, message: 'Contact import queued' },
  };
}

function contactLists({ account, body }: ApiRequest): Reply {
  const json = parseJson(body);
  if (json === undefined) return invalidJson;
  const input = (json as { contactList?: Record<string, unknown> } | null)?.contactList;
  if (typeof input !== 'object' || input === null) {
    return errors422('The contactList field is required.', 'field_missing', '/data/attributes/contactList');
  }
  const listId = toId(input.list);
  const contactId = toId(input.contact);
  const status =
    input.status === 1 || input.status === '1' ? 1 : input.status === 2 || input.status === '2' ? 2 : 0;
  if (listId === undefined)
    return errors422('The list field is invalid.', 'field_invalid', '/data/attributes/list');
  if (contactId === undefined) {
    return errors422('The contact field is invalid.', 'field_invalid', '/data/attributes/contact');
  }
  if (status === 0)
    return errors422('The status field is invalid.', 'field_invalid', '/data/attributes/status');
  const contact = account.store.contact(contactId);
  if (!contact) return notFound(`No Result found for Subscriber with id ${contactId}`);
  const list = account.store.lists.get(listId);
  if (!list) return notFound(`No Result found for List with id ${listId}`);
  const membership = account.store.setStatus(list, contact, status, 'api');
  return {
    status: 201,
    body: { contacts: [contactJson(contact)], contactList: contactListJson(listId, contactId, membership) },
  };
}

/** GET /contacts/{id}/contactLists: the contact's status on every list it has one on ("1" or "2"). */
function contactListsOf({ account }: ApiRequest, contactId: number): Reply {
  const contact = account.store.contact(contactId);
  if (!contact) return notFound(`No Result found for Subscriber with id ${contactId}`);
  const contactLists = account.store
    .membershipsOf(contactId)
    .map(({ listId, membership }) => contactListJson(listId, contactId, membership));
  return { status: 200, body: { contactLists } };
}

/** DELETE /contacts/{id}: documented without a body example; answers an empty object. */
function deleteContact({ account }: ApiRequest, contactId: number): Reply {
  const contact = account.store.contact(contactId);
  if (!contact) return notFound(`No Result found for Subscriber with id ${contactId}`);
  account.store.deleteContact(contact);
  return { status: 200, body: {} };
}

/** Routes under /api/3. Everything is synchronous: one request is handled atomically. */
export function routeApi(request: ApiRequest): Reply {
  const { account, method, path, query } = request;
  const store = account.store;
  if (method === 'GET') {
    if (path === '/users/me') {
      return {
        status: 200,
        body: {
          user: {
            username: 'admin',
            firstName: 'Fake',
            lastName: 'Admin',
            email: 'admin@example.com',
            id: '1',
          },
        },
      };
    }
    if (path === '/lists') {
      const { limit, offset } = paging(query);
      const all = [...store.lists.values()].sort((a, b) => a.id - b.id);
      return {
        status: 200,
        body: { lists: all.slice(offset, offset + limit).map(listJson), meta: { total: String(all.length) } },
      };
    }
    if (path.startsWith('/lists/')) {
      const raw = path.slice('/lists/'.length);
      const list = store.lists.get(toId(raw) ?? -1);
      return list
        ? { status: 200, body: { list: listJson(list) } }
        : notFound(`No Result found for _List with id ${raw}`);
    }
    if (path === '/fields') {
      const { limit, offset } = paging(query);
      const all = [...store.fields.values()].sort((a, b) => a.id - b.id);
      const page = all.slice(offset, offset + limit);
      return {
        status: 200,
        body: {
          fieldOptions: fieldOptionsJson(page),
          fields: page.map(fieldJson),
          meta: { total: String(all.length) },
        },
      };
    }
    if (path === '/contacts') {
      const { contacts, total } = queryContacts(store, query);
      return {
        status: 200,
        body: {
          scoreValues: [],
          contacts: contacts.map(contactJson),
          meta: { total: String(total), page_input: {} },
        },
      };
    }
    if (path === '/import/bulk_import') {
      const t = account.imports.dailyTotals();
      return {
        status: 200,
        body: { dailyTotals: { date: t.date, requests: String(t.requests), contacts: String(t.contacts) } },
      };
    }
    if (path === '/import/info') {
      const batchId = query.get('batchId') ?? '';
      const info = account.imports.info(batchId, request.now);
      return info
        ? { status: 200, body: info }
        : notFound(`No Result found for Import with batchId ${batchId}`);
    }
  }
  if (method === 'POST') {
    if (path === '/import/bulk_import') return bulkImport(request);
    if (path === '/contact/sync') return syncContact(store, request.body);
    if (path === '/contactLists') return contactLists(request);
  }
  const tagReply = routeTags(store, method, path, query, request.body);
  if (tagReply) return tagReply;
  const contactPath = /^\/contacts\/(\d+)$/.exec(path);
  if (method === 'PUT' && contactPath) return updateContact(store, Number(contactPath[1]), request.body);
  if (method === 'DELETE' && contactPath) return deleteContact(request, Number(contactPath[1]));
  const listsOfContact = /^\/contacts\/(\d+)\/contactLists$/.exec(path);
  if (method === 'GET' && listsOfContact) return contactListsOf(request, Number(listsOfContact[1]));
  return unknownRoute;
}
