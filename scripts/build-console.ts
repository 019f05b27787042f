import { ensureConsoleBuilt } from './lib/console-build.ts';

await ensureConsoleBuilt(console.log);
