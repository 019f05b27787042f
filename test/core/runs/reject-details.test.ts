import { expect, test } from 'vitest';
import { refusalDetails, storableDetails } from '../../../core/export-run/reject-details.ts';
import { rejectOutcome } from '../../../core/runs/reject-outcome.ts';
import { csvCell } from '../../../core/runs/rejects-csv.ts';

const contact = {
  email: 'ada@example.com',
  first_name: 'Ada',
  fields: [
    { id: 2, value: 'Vienna' },
    { id: 5, value: 'x' },
  ],
};
const fields = [{ fieldId: '2', title: 'City' }, { fieldId: '5' }];

test('ActiveCampaign’s documented refusal names a standard field: the contact’s value of it is kept', () => {
  expect(refusalDetails("Field 'email' incorrect format", contact, fields)).toEqual({
    email: 'ada@example.com',
    field: 'email',
    value: 'ada@example.com',
    detail: "Field 'email' incorrect format",
  });
  expect(refusalDetails("Field 'first_name' incorrect format", contact, fields)).toMatchObject({
    field: 'first_name',
    value: 'Ada',
  });
});

test('a refusal naming a custom field by id gives its title as the export saved it, else its id', () => {
  expect(
    refusalDetails('Field 2 (City): the value is not one of the field’s options', contact, fields),
  ).toEqual({
    email: 'ada@example.com',
    field: 'City',
    value: 'Vienna',
    detail: 'Field 2 (City): the value is not one of the field’s options',
  });
  expect(refusalDetails("Field 'fields' references field 5", contact, fields)).toMatchObject({
    field: 'custom field 5',
    value: 'x',
  });
});

test('a refusal naming no field keeps ActiveCampaign’s text only', () => {
  expect(refusalDetails('Contact incorrect format', contact, fields)).toEqual({
    email: 'ada@example.com',
    detail: 'Contact incorrect format',
  });
});

test('details Postgres cannot hold are made storable and cut to 1,000 characters', () => {
  expect(storableDetails({ value: `a\u0000b\uD800c`, detail: 'y'.repeat(5_000) })).toEqual({
    value: 'ab\uFFFDc',
    detail: 'y'.repeat(1_000),
  });
});

test('CSV cells: quoted when needed, quotes doubled, formulas neutralised', () => {
  expect(csvCell('plain')).toBe('plain');
  expect(csvCell(null)).toBe('');
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('two\nlines')).toBe('"two\nlines"');
  expect(csvCell(' padded')).toBe('" padded"');
  for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', ' =1+1', '\u00a0@x', '\uff1d1+1'])
    expect(csvCell(formula).replace(/^"/, '')).toMatch(/^'/);
  expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
});

test('outcomes: never sent, refused by ActiveCampaign, failed and retried, skipped', () => {
  expect(rejectOutcome('INVALID_EMAIL')).toBe('NOT_SENT');
  expect(rejectOutcome('FIELD_VALUE_NOT_ALLOWED')).toBe('NOT_SENT');
  expect(rejectOutcome('REJECTED_BY_ACTIVECAMPAIGN')).toBe('REFUSED');
  expect(rejectOutcome('NOT_CREATED')).toBe('FAILED');
  expect(rejectOutcome('IMPORT_NOT_COMPLETED')).toBe('FAILED');
  expect(rejectOutcome('UNSUBSCRIBED')).toBe('SKIPPED');
  expect(rejectOutcome('REFUSED_REPEATEDLY')).toBe('SKIPPED');
});
