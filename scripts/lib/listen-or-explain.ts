import type { Server } from 'node:net';
import { ConfigError } from '../config.ts';

/** Listens on `port`; a port taken or refused stops start-up with the variable that sets it. */
export function listenOrExplain(
  server: Server,
  port: number,
  variable: string,
  hostname?: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE' ? 'is in use by another process' : `cannot be used (${error.code})`;
      reject(
        new ConfigError(`Outbound cannot start:\n  - port ${port} ${why}: set ${variable} to a free port`),
      );
    };
    server.once('error', onError);
    server.listen(port, hostname, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
