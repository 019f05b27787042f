/**
 * `npm run image:check`: builds outbound:latest with podman and runs the API, the worker, the migration
 * and the CLI from it against a Temporal dev server, Postgres and the fake ActiveCampaign (scripts/lib/image/).
 * One line per check, then `N passed, M failed`; exits 1 when one failed.
 */
import { runImageCheck } from './lib/image/image-check.ts';

process.exitCode = (await runImageCheck()) ? 0 : 1;
