import { beforeAll, describe, expect, test } from 'vitest';
import { rejectsCsvStream } from '../../core/runs/rejects-csv.ts';
import { withFakeAndOutbound } from '../support/fixtures.ts';
import { hostileEmail, runWithRejects } from '../support/reject-scenario.ts';
import { tokenFor } from './helpers.ts';

const stack = withFakeAndOutbound(60);
let scenario: Awaited<ReturnType<typeof runWithRejects>>;
const tokens = {} as Record<'viewer' | 'contributor', string>;

beforeAll(async () => {
  scenario = await runWithRejects(stack.outbound, stack.fake, 'rj');
  tokens.viewer = await tokenFor(stack.outbound, 'VIEWER');
  tokens.contributor = await tokenFor(stack.outbound, 'CONTRIBUTOR');
}, 180_000);

const rejectsDoc = `query($id: ID!, $first: Int, $after: String) { exportRun(id: $id) {
  rejectedCount skippedCount exportedCount
  rejects(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { customerId email outcome reason field value activeCampaignReason }
  }
} }`;

type Reject = {
  customerId: string;
  email: string | null;
  outcome: string;
  reason: string;
  field: string | null;
  value: string | null;
  activeCampaignReason: string | null;
};

async function rejectsAs(token: string | undefined, first = 100, after?: string) {
  const { exportRun } = await stack.outbound.gql(rejectsDoc, { id: scenario.runId, first, after }, token);
  return exportRun;
}

/** What each reject says to a role that may see personal data. */
const expectedRejects = () => {
  const { id, email } = scenario;
  return [
    {
      customerId: id('02'),
      email: email('02'),
      outcome: 'NOT_SENT',
      reason: 'FIELD_VALUE_NOT_ALLOWED',
      field: 'City',
      value: 'Atlantis',
      activeCampaignReason: null,
    },
    {
      customerId: id('03'),
      email: email('03'),
      outcome: 'REFUSED',
      reason: 'REJECTED_BY_ACTIVECAMPAIGN',
      field: 'City',
      value: 'Vienna',
      activeCampaignReason: expect.stringContaining('Field 2'),
    },
    {
      customerId: id('04'),
      email: hostileEmail,
      outcome: 'NOT_SENT',
      reason: 'INVALID_EMAIL',
      field: null,
      value: null,
      activeCampaignReason: null,
    },
    {
      customerId: id('05'),
      email: null,
      outcome: 'NOT_SENT',
      reason: 'MISSING_EMAIL',
      field: null,
      value: null,
      activeCampaignReason: null,
    },
    {
      customerId: id('06'),
      email: email('06'),
      outcome: 'SKIPPED',
      reason: 'UNSUBSCRIBED',
      field: null,
      value: null,
      activeCampaignReason: null,
    },
    {
      customerId: id('07,"q"'),
      email: null,
      outcome: 'NOT_SENT',
      reason: 'MISSING_EMAIL',
      field: null,
      value: null,
      activeCampaignReason: null,
    },
  ];
};

/** RFC 4180: the rows of a CSV text (CRLF lines, quoted cells with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) throw new Error(`The CSV does not end with CRLF: ${JSON.stringify(cell)}`);
  return rows;
}

function csvRequest(token: string | null, runId = scenario.runId) {
  return stack.outbound.api.fetch(
    new Request(`http://outbound.test/runs/${runId}/rejects.csv`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }),
  );
}

/** The body as sent: Response.text() would drop the byte-order mark. */
const bodyOf = async (response: Response) =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());

const header = [
  'customer_id',
  'email',
  'outcome',
  'reason',
  'field',
  'value',
  'activecampaign_reason',
  'message',
];

describe('a run’s rejects', () => {
  test('the run counts them: refused by ActiveCampaign and never sent are rejected, unsubscribed is skipped', () => {
    expect(scenario.run.status).toBe('SUCCEEDED');
    expect(scenario.run).toMatchObject({ exportedCount: 1, rejectedCount: 5, skippedCount: 1 });
    // Only the exported contact is on the list: the refused one never got there.
    expect(scenario.account.listMembers(7).map((m) => m.email)).toEqual(
      expect.arrayContaining([scenario.email('01')]),
    );
    expect(scenario.account.listMembers(7).map((m) => m.email)).not.toContain(scenario.email('03'));
  });

  test('an admin reads each with its outcome, the field by its title, the value and the email', async () => {
    const exportRun = await rejectsAs(undefined);
    expect(exportRun.rejects.totalCount).toBe(6);
    expect(exportRun.rejects.nodes).toEqual(expectedRejects());
  });

  test('a contributor sees the emails too; a viewer sees reasons and fields, no email, value or ActiveCampaign text', async () => {
    expect((await rejectsAs(tokens.contributor)).rejects.nodes).toEqual(expectedRejects());
    const asViewer = (await rejectsAs(tokens.viewer)).rejects.nodes as Reject[];
    expect(asViewer).toEqual(
      expectedRejects().map((r) => ({ ...r, email: null, value: null, activeCampaignReason: null })),
    );
  });

  test('pages with cursors in customer-id order', async () => {
    const first = await rejectsAs(undefined, 4);
    expect(first.rejects.pageInfo.hasNextPage).toBe(true);
    const second = await rejectsAs(undefined, 4, first.rejects.pageInfo.endCursor);
    expect(second.rejects.pageInfo.hasNextPage).toBe(false);
    expect([...first.rejects.nodes, ...second.rejects.nodes].map((r: Reject) => r.customerId)).toEqual(
      expectedRejects().map((r) => r.customerId),
    );
  });
});

describe('GET /runs/<id>/rejects.csv', () => {
  test('an admin downloads every reject with a header, quoted and with formulas neutralised', async () => {
    const response = await csvRequest(stack.outbound.adminToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="run-${scenario.runId}-rejects.csv"`,
    );
    const text = await bodyOf(response);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(header);
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect([...byId.keys()]).toEqual(expectedRejects().map((r) => r.customerId));
    const { id, email } = scenario;
    // A cell that would start a formula gets a leading quote; commas, quotes and line breaks are quoted.
    expect(byId.get(id('04'))?.slice(0, 4)).toEqual([
      id('04'),
      `'${hostileEmail}`,
      'NOT_SENT',
      'INVALID_EMAIL',
    ]);
    expect(text).toContain(`${id('04')},"'=1+2,""x""\nmore@example",NOT_SENT`);
    expect(text).toContain(`"${id('07,""q""')}",,NOT_SENT,MISSING_EMAIL,`);
    expect(byId.get(id('02'))?.slice(0, 6)).toEqual([
      id('02'),
      email('02'),
      'NOT_SENT',
      'FIELD_VALUE_NOT_ALLOWED',
      'City',
      'Atlantis',
    ]);
    expect(byId.get(id('03'))?.slice(0, 6)).toEqual([
      id('03'),
      email('03'),
      'REFUSED',
      'REJECTED_BY_ACTIVECAMPAIGN',
      'City',
      'Vienna',
    ]);
    expect(byId.get(id('03'))?.[6]).toContain('Field 2');
    expect(byId.get(id('06'))?.slice(0, 4)).toEqual([id('06'), email('06'), 'SKIPPED', 'UNSUBSCRIBED']);
    for (const row of rows) expect(row).toHaveLength(header.length);
  });

  test('read a page at a time: pages of 2 give the same file', async () => {
    const whole = await (await csvRequest(stack.outbound.adminToken)).text();
    const paged = await new Response(
      rejectsCsvStream(stack.outbound.deps.db, scenario.runId, { personal: true, pageSize: 2 }),
    ).text();
    expect(paged).toBe(whole);
  });

  test('a viewer downloads it without emails, values or ActiveCampaign’s text', async () => {
    const response = await csvRequest(tokens.viewer);
    expect(response.status).toBe(200);
    const rows = parseCsv((await bodyOf(response)).slice(1));
    expect(rows[0]).toEqual(header);
    expect(rows).toHaveLength(7);
    for (const row of rows.slice(1)) {
      expect(row[1]).toBe('');
      expect(row[5]).toBe('');
      expect(row[6]).toBe('');
    }
    expect(rows.find((r) => r[0] === scenario.id('02'))?.[4]).toBe('City');
  });

  test('refused without a valid token (401), and 404 for a run that does not exist', async () => {
    const anonymous = await csvRequest(null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(await anonymous.text()).not.toContain(scenario.email('02'));
    expect((await csvRequest('not-a-valid-token-000000')).status).toBe(401);
    expect((await csvRequest(stack.outbound.adminToken, '00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    );
    expect((await csvRequest(stack.outbound.adminToken, 'not-a-uuid')).status).toBe(404);
  });
});
