import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AlertReceiver = {
  /** `host:port`, for OUTBOUND_INSECURE_HOSTS. */
  host: string;
  url: string;
  /** For `ms` from now every delivery is refused: 503, or the connection dropped before an answer. */
  goDown(ms: number): void;
  /** Run ids of the alerts taken (answered 2xx). */
  runIds(): Set<string>;
  /**
   * Alerts delivered twice: one run's event under more than one `Outbound-Delivery-Id` (a receiver that
   * drops ids it already took would still show it twice).
   */
  duplicates(): number;
  /** Deliveries sent again with an id already taken: at-least-once, dropped by the id. */
  redeliveries(): number;
  close(): Promise<void>;
};

/** A webhook receiver that takes each delivery once by its id, and goes down when told. */
export async function startAlertReceiver(): Promise<AlertReceiver> {
  const taken = new Map<string, { times: number; runId: string | null; event: string }>();
  let downUntil = 0;
  let refusals = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (Date.now() < downUntil) {
        // Half the refusals a 503, half a connection closed without an answer.
        if (refusals++ % 2) {
          response.writeHead(503).end();
          return;
        }
        request.socket.destroy();
        return;
      }
      const id = request.headers['outbound-delivery-id'];
      if (typeof id !== 'string') {
        response.writeHead(400).end();
        return;
      }
      const alert = JSON.parse(body) as { event?: string; run?: { id?: string } };
      const seen = taken.get(id);
      taken.set(id, {
        times: (seen?.times ?? 0) + 1,
        runId: alert.run?.id ?? null,
        event: alert.event ?? '',
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}/alerts`,
    goDown(ms) {
      downUntil = Date.now() + ms;
    },
    runIds: () => new Set([...taken.values()].flatMap((t) => (t.runId ? [t.runId] : []))),
    duplicates() {
      const alerts = [...taken.values()].filter((t) => t.runId).map((t) => `${t.runId} ${t.event}`);
      return alerts.length - new Set(alerts).size;
    },
    redeliveries: () => [...taken.values()].reduce((sum, t) => sum + t.times - 1, 0),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
