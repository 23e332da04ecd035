import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The body of a request that declared its length, read straight from Node's request under
 * @hono/node-server; undefined anywhere else (GET, a chunked upload, `app.request` in tests, a
 * client that accepts a streamed answer), where the caller uses `c.req.raw` as usual. A
 * streamed answer (a subscription over SSE, `@defer`) keeps the web Request: its abort signal
 * is what ends the stream at once when the client goes away.
 *
 * Why: asking Hono's request for its body turns it into a full web Request whose body is a web
 * stream over the Node stream (undici, webstreams, an AbortController), which cost the API more
 * CPU per GraphQL request than parsing and running the query (BENCHMARKS.md). The length was
 * checked against the limit before (service-app.ts), and Node reads no more than it declared.
 */
export async function readDeclaredBody(c: Context): Promise<string | undefined> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || c.req.method !== 'POST') return undefined;
  if (c.req.header('content-length') === undefined || c.req.header('transfer-encoding') !== undefined) {
    return undefined;
  }
  if (/text\/event-stream|multipart\/mixed/i.test(c.req.header('accept') ?? '')) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
