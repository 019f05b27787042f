import { errors422, invalidJson, notFound, paging } from './responses.ts';
import type { Store } from './store.ts';
import type { ContactTag, Reply, Tag } from './types.ts';

/** Tags and contact tags: GET/POST /tags, GET /contacts/{id}/contactTags, POST /contactTags, DELETE /contactTags/{id}. */

function tagJson(t: Tag) {
  return {
    tagType: t.tagType,
    tag: t.tag,
    description: t.description,
    cdate: '2024-01-01T00:00:00-06:00',
    links: { contactGoalTags: `/api/3/tags/${t.id}/contactGoalTags` },
    id: String(t.id),
  };
}

function contactTagJson(ct: ContactTag) {
  return {
    contact: String(ct.contact),
    tag: String(ct.tag),
    cdate: '2024-01-01T00:00:00-06:00',
    links: { contact: `/api/3/contactTags/${ct.id}/contact`, tag: `/api/3/contactTags/${ct.id}/tag` },
    id: String(ct.id),
  };
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const positiveId = (value: unknown) =>
  typeof value === 'number' || (typeof value === 'string' && /^[1-9][0-9]*$/.test(value))
    ? Number(value)
    : Number.NaN;

/** The reply of a tag route, or undefined when the request is not one. */
export function routeTags(
  store: Store,
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer,
): Reply | undefined {
  if (method === 'GET' && path === '/tags') {
    const search = (query.get('search') ?? '').toLowerCase();
    const { limit, offset } = paging(query);
    const all = [...store.tags.values()].filter((t) => t.tag.toLowerCase().includes(search));
    return {
      status: 200,
      body: { tags: all.slice(offset, offset + limit).map(tagJson), meta: { total: String(all.length) } },
    };
  }
  if (method === 'POST' && path === '/tags') {
    const json = parse(body);
    if (json === undefined) return invalidJson;
    const input = (json as { tag?: { tag?: unknown; tagType?: unknown; description?: unknown } }).tag;
    if (typeof input?.tag !== 'string' || !input.tag.trim())
      return errors422('The tag field is required.', 'field_missing', '/data/attributes/tag');
    if (store.findTag(input.tag))
      return errors422('The tag already exists.', 'duplicate', '/data/attributes/tag');
    const tag = store.createTag(
      input.tag,
      typeof input.tagType === 'string' ? input.tagType : 'contact',
      typeof input.description === 'string' ? input.description : '',
    );
    return { status: 201, body: { tag: tagJson(tag) } };
  }
  const ofContact = /^\/contacts\/(\d+)\/contactTags$/.exec(path);
  if (method === 'GET' && ofContact) {
    const contactId = Number(ofContact[1]);
    if (!store.contact(contactId)) return notFound(`No Result found for Subscriber with id ${contactId}`);
    return { status: 200, body: { contactTags: store.contactTagsOf(contactId).map(contactTagJson) } };
  }
  if (method === 'POST' && path === '/contactTags') {
    const json = parse(body);
    if (json === undefined) return invalidJson;
    const input = (json as { contactTag?: { contact?: unknown; tag?: unknown } }).contactTag;
    const contactId = positiveId(input?.contact);
    const tagId = positiveId(input?.tag);
    if (Number.isNaN(contactId) || !store.contact(contactId))
      return errors422('The contact field is invalid.', 'field_invalid', '/data/attributes/contact');
    if (Number.isNaN(tagId) || !store.tags.has(tagId))
      return errors422('The tag field is invalid.', 'field_invalid', '/data/attributes/tag');
    return { status: 201, body: { contactTag: contactTagJson(store.tagContact(contactId, tagId)) } };
  }
  const one = /^\/contactTags\/(\d+)$/.exec(path);
  if (method === 'DELETE' && one) {
    const id = Number(one[1]);
    if (!store.contactTags.delete(id)) return notFound(`No Result found for ContactTag with id ${id}`);
    return { status: 200, body: {} };
  }
  return undefined;
}
