import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_ALIVE_TIMEOUT_MS, keepIdleConnectionsOpen } from './keep-alive.ts';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

function get(port: number, agent: Agent): Promise<{ status: number; localPort: number | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      const localPort = res.socket.localPort;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, localPort }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('keep-alive', () => {
  it('a connection idle for longer than Node’s default (5 s, plus its 1 s grace) is still served, on the same socket', async () => {
    server = createServer((_req, res) => res.end('ok'));
    keepIdleConnectionsOpen(server);
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(server.headersTimeout).toBeGreaterThan(KEEP_ALIVE_TIMEOUT_MS);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(port, agent);
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const second = await get(port, agent);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.localPort).toBeDefined();
    expect(second.localPort).toBe(first.localPort); // the same connection
    agent.destroy();
  }, 15_000);
});
