import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { publicOnlySocketFactory } from './guarded-socket.factory';

const refuse = (host: string, address: string, range: string) => new Error(`refused ${host} ${address} ${range}`);

function failure(socket: net.Socket): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once('error', resolve);
    socket.once('connect', () => reject(new Error('connected')));
  });
}

test('a broker on a loopback address is refused, named by IP or by a name that resolves to it, before anything is sent', async () => {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  let accepted = 0;
  server.on('connection', () => accepted++);
  const factory = publicOnlySocketFactory(refuse);
  const literal = await failure(factory({ host: '127.0.0.1', port, ssl: undefined as never, onConnect: () => undefined }));
  assert.equal(literal.message, 'refused 127.0.0.1 127.0.0.1 loopback');
  const named = await failure(factory({ host: 'localhost', port, ssl: undefined as never, onConnect: () => undefined }));
  assert.match(named.message, /^refused localhost (127\.0\.0\.1|::1) loopback$/);
  assert.equal(accepted, 0);
  server.close();
});
