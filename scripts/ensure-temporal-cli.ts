import { ensureTemporalCli } from './lib/temporal-cli.ts';

const path = await ensureTemporalCli();
console.log(`Temporal CLI ready at ${path}`);
