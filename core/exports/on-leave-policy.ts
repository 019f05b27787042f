import { onLeavePolicy } from '../../db/schema.ts';

/** What an export does with contacts who left its segments: the pgEnum of db/schema.ts is the one spelling. */
export const onLeavePolicies = onLeavePolicy.enumValues;
export type OnLeavePolicy = (typeof onLeavePolicies)[number];
