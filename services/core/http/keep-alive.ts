import type { Server } from 'node:http';

/**
 * Idle keep-alive connections stay open for 65 s instead of Node's 5 s. A client (a reverse
 * proxy, a load balancer with the usual 60 s idle timeout, a phone) that sends on a connection
 * the server is closing at that moment gets a reset instead of an answer; the side that closes
 * idle connections must be the client. The load bench saw such resets at 5 s (BENCHMARKS.md).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function keepIdleConnectionsOpen(server: object): void {
  // @hono/node-server's serve() may return an HTTP/2 server, which has no such timeouts.
  if (!('keepAliveTimeout' in server)) return;
  const http = server as Server;
  http.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node requires headersTimeout above keepAliveTimeout, or it may cut a request on a reused connection.
  http.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
}
