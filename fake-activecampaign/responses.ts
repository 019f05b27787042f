import type { Contact, Field, List, Membership, Reply } from './types.ts';

/** JSON shapes of API answers: every id and every `meta.total` is a string, as the real API sends them. */

export function contactJson(c: Contact) {
  return {
    cdate: c.cdate,
    email: c.email,
    phone: c.phone,
    firstName: c.firstName,
    lastName: c.lastName,
    orgid: '0',
    segmentio_id: '',
    bounced_hard: '0',
    bounced_soft: '0',
    deleted: '0',
    anonymized: '0',
    udate: c.udate,
    links: {
      contactLists: `/api/3/contacts/${c.id}/contactLists`,
      fieldValues: `/api/3/contacts/${c.id}/fieldValues`,
    },
    id: String(c.id),
    organization: null,
  };
}

export function fieldValuesJson(c: Contact) {
  return Object.entries(c.fields).map(([field, value]) => ({
    contact: String(c.id),
    field,
    value,
    cdate: c.cdate,
    udate: c.udate,
    owner: String(c.id),
    id: `${c.id}${field.padStart(4, '0')}`,
  }));
}

export function listJson(l: List) {
  return {
    stringid: l.stringid,
    userid: '1',
    name: l.name,
    cdate: '2024-01-01T00:00:00-06:00',
    p_use_tracking: '1',
    sender_url: 'https://example.com',
    sender_reminder: 'You signed up on our website.',
    subscriber_count: String(l.members.size),
    links: { contactGoalLists: `/api/3/lists/${l.id}/contactGoalLists` },
    id: String(l.id),
  };
}

export function fieldJson(f: Field) {
  return {
    title: f.title,
    descript: '',
    type: f.type,
    isrequired: '0',
    perstag: f.perstag,
    defval: '',
    visible: '1',
    ordernum: String(f.id),
    cdate: '2024-01-01T00:00:00-06:00',
    udate: '2024-01-01T00:00:00-06:00',
    options: f.options.map((_, i) => optionId(f, i)),
    links: { options: `/api/3/fields/${f.id}/options`, relations: `/api/3/fields/${f.id}/relations` },
    id: String(f.id),
  };
}

const optionId = (f: Field, index: number) => String(f.id * 1000 + index + 1);

/** The options of these fields, as the sideloaded `fieldOptions` of GET /fields. */
export function fieldOptionsJson(fields: Field[]) {
  return fields.flatMap((f) =>
    f.options.map((value, i) => ({
      field: String(f.id),
      orderid: String(i + 1),
      value,
      label: value,
      isdefault: '0',
      id: optionId(f, i),
    })),
  );
}

export function contactListJson(listId: number, contactId: number, m: Membership) {
  return {
    contact: String(contactId),
    list: String(listId),
    status: m.status === 'subscribed' ? '1' : '2',
    sourceid: '0',
    sdate: new Date().toISOString(),
    links: { contact: `/api/3/contactLists/${m.id}/contact`, list: `/api/3/contactLists/${m.id}/list` },
    id: String(m.id),
  };
}

export const notFound = (message: string): Reply => ({ status: 404, body: { message } });

export function errors422(title: string, code: string, pointer: string): Reply {
  return { status: 422, body: { errors: [{ title, detail: '', code, source: { pointer } }] } };
}

export const invalidJson: Reply = {
  status: 400,
  body: { errors: [{ title: 'The request body is not valid JSON.', detail: '', code: 'invalid_json' }] },
};

/** `limit` defaults to 20 and is capped at 100; `offset` is zero-based. */
export function paging(query: URLSearchParams): { limit: number; offset: number } {
  const limit = Number.parseInt(query.get('limit') ?? '', 10);
  const offset = Number.parseInt(query.get('offset') ?? '', 10);
  return {
    limit: Number.isFinite(limit) && limit > 0 ? Math.min(limit, 100) : 20,
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}
