/**
 * Temporal's client types for the code outside core/temporal/, which holds every use of
 * @temporalio/client (entry points in scripts/ aside): callers pass a Client along, never import it.
 */
export type { Client, ConnectionOptions } from '@temporalio/client';
