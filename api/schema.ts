import { builder } from './builder.ts';
import './audit.ts';
import './error-code.ts';
import './user.ts';
import './api-token.ts';
import './connection.ts';
import './connection-catalog.ts';
import './profile.ts';
import './segment.ts';
import './export.ts';
import './export-run.ts';
import './export-preview.ts';
import './refresh-schedule.ts';
import './notification-channel.ts';
import './alert-rule.ts';
import './source.ts';
import './results-target.ts';

export const schema = builder.toSchema({ sortSchema: true });
