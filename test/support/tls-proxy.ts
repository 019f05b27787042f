import { readFileSync } from 'node:fs';
import { type AddressInfo, connect as connectTcp, type Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

export type TlsProxy = {
  address: string;
  /** The common names of the client certificates of the connections it accepted. */
  clients: string[];
  close(): Promise<void>;
};

/**
 * A TLS-terminating proxy requiring a client certificate signed by `ca` (mTLS, HTTP/2 offered by ALPN)
 * in front of a plaintext gRPC server, as a TLS-only Temporal cluster looks to its clients.
 */
export async function startTlsProxy(options: {
  target: string;
  cert: string;
  key: string;
  ca: string;
}): Promise<TlsProxy> {
  const at = options.target.lastIndexOf(':');
  const targetHost = options.target.slice(0, at);
  const targetPort = Number(options.target.slice(at + 1));
  const clients: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(
    {
      cert: readFileSync(options.cert),
      key: readFileSync(options.key),
      ca: readFileSync(options.ca),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket: TLSSocket) => {
      clients.push(String(socket.getPeerCertificate().subject?.CN));
      const upstream = connectTcp(targetPort, targetHost);
      for (const s of [socket, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      }
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    },
  );
  // Refused handshakes are what some tests provoke.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    clients,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
