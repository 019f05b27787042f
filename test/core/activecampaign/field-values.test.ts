import { describe, expect, test } from 'vitest';
import { formatFieldValue } from '../../../core/activecampaign/field-values.ts';

const tier = { type: 'dropdown', options: ['gold', 'silver'] };
const interests = { type: 'checkbox', options: ['Books', 'Music'] };

describe('formatFieldValue', () => {
  test('dates and datetimes as ActiveCampaign expects them', () => {
    expect(formatFieldValue({ type: 'date' }, '1990-02-28')).toEqual({ value: '1990-02-28' });
    expect(formatFieldValue({ type: 'date' }, '1990-02-28T23:30:00Z')).toEqual({ value: '1990-02-28' });
    expect(formatFieldValue({ type: 'date' }, Date.UTC(2001, 0, 2))).toEqual({ value: '2001-01-02' });
    expect(formatFieldValue({ type: 'date' }, '1990-02-30')).toEqual({ notAllowed: true });
    expect(formatFieldValue({ type: 'date' }, 'soon')).toEqual({ notAllowed: true });
    expect(formatFieldValue({ type: 'datetime' }, '2024-05-01T12:30:00+02:00')).toEqual({
      value: '2024-05-01T10:30:00.000Z',
    });
  });

  test('single and multiple choices must be among the options', () => {
    expect(formatFieldValue(tier, 'gold')).toEqual({ value: 'gold' });
    expect(formatFieldValue(tier, 'Gold')).toEqual({ notAllowed: true });
    expect(formatFieldValue(interests, ['Books', 'Music'])).toEqual({ value: '||Books||Music||' });
    expect(formatFieldValue(interests, '||Music||')).toEqual({ value: '||Music||' });
    expect(formatFieldValue(interests, 'Books')).toEqual({ value: '||Books||' });
    expect(formatFieldValue(interests, ['Books', 'Film'])).toEqual({ notAllowed: true });
    expect(formatFieldValue(interests, [])).toEqual({ empty: true });
  });

  test('text and untyped fields: numbers without locale, nothing for empty values', () => {
    expect(formatFieldValue({ type: 'text' }, 1234567.5)).toEqual({ value: '1234567.5' });
    expect(formatFieldValue({}, ['a', 'b'])).toEqual({ value: 'a||b' });
    expect(formatFieldValue({ type: 'text' }, '')).toEqual({ empty: true });
    expect(formatFieldValue(tier, null)).toEqual({ empty: true });
  });
});
