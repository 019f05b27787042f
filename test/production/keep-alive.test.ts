import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { serveApi, stopServingApi } from '../../scripts/lib/serve-api.ts';
import { type Outbound, startOutbound } from '../support/outbound.ts';

let outbound: Outbound;
let server: Server;
let port: number;

beforeAll(async () => {
  outbound = await startOutbound({ worker: false });
  server = await serveApi(outbound.api, 0, '127.0.0.1');
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await outbound?.close();
});

/** The status of one GET /healthz sent on `socket`, read from its answer. */
function healthOn(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: *(\d+)/i.exec(text)?.[1];
      const complete =
        length === undefined ? text.endsWith('\r\n0\r\n\r\n') : text.length >= head + 4 + Number(length);
      if (head < 0 || !complete) return;
      socket.off('data', onData).off('close', onClose);
      resolve(Number(text.split(' ')[1]));
    };
    const onClose = () => reject(new Error('the API closed the connection'));
    socket.on('data', onData).once('close', onClose);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  });
}

test('a keep-alive connection idle for longer than Node’s 5 s default still carries the next request; stopping closes it', async () => {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const closed = new Promise((resolve) => socket.once('close', resolve));

  expect(await healthOn(socket)).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  expect(await healthOn(socket)).toBe(200);

  await stopServingApi(server, outbound.api);
  await closed;
  expect(socket.destroyed).toBe(true);
});
