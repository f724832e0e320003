import { createServer } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { capConnections } from './connection-limits.js';

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function cappedServer(maxConnections: number) {
  const server = createServer((_request, response) => response.end('ok'));
  server.keepAliveTimeout = 60_000;
  capConnections(server, maxConnections);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const open = (port: number) =>
  new Promise<Socket>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => undefined);
  });

/** Sends one keep-alive request on `socket` and resolves with the status line. */
const ask = (socket: Socket) =>
  new Promise<string>((resolve) => {
    socket.once('data', (data: Buffer) => resolve(data.toString('latin1').split('\r\n')[0] ?? ''));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  });

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('capConnections', () => {
  it('past the cap, silent connections are closed before a client that has made requests', async () => {
    const port = await cappedServer(3);
    const client = await open(port);
    expect(await ask(client)).toBe('HTTP/1.1 200 OK');
    const silent: Socket[] = [];
    for (let index = 0; index < 6; index += 1) silent.push(await open(port));
    await settle();
    expect(client.destroyed).toBe(false);
    expect(await ask(client)).toBe('HTTP/1.1 200 OK');
    expect(silent.filter((socket) => !socket.destroyed)).toHaveLength(2);
    for (const socket of [client, ...silent]) socket.destroy();
  });

  it('when only idle keep-alive connections remain, the oldest makes room', async () => {
    const port = await cappedServer(2);
    const first = await open(port);
    const second = await open(port);
    await ask(first);
    await ask(second);
    const third = await open(port);
    await settle();
    expect(first.destroyed).toBe(true);
    expect(await ask(third)).toBe('HTTP/1.1 200 OK');
    for (const socket of [second, third]) socket.destroy();
  });
});
