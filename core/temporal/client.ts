/**
 * core/temporal/ holds every use of @temporalio/client (the entry points in scripts/ aside); the code
 * that passes a Temporal client along takes its type from here.
 */
export type { Client } from '@temporalio/client';
