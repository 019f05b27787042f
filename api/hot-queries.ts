// Kept for api/loaders.ts until it imports core/exports/hot-queries.ts itself.
export { hotQueries } from '../core/exports/hot-queries.ts';
