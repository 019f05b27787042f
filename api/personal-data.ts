import type { Viewer } from './context.ts';

/**
 * Who may read contacts' personal data (a reject's email and refused value): admins and contributors,
 * who may change what exports send; viewers read runs' counts and reasons without it.
 */
export const maySeePersonalData = (viewer: Viewer | null): boolean =>
  viewer?.role === 'ADMIN' || viewer?.role === 'CONTRIBUTOR';
