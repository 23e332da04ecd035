import { Agent, request } from 'node:http';

/**
 * A small GraphQL-over-HTTP client for the load driver: keep-alive sockets, no retries, no
 * redirects, and the latency of every call measured from the moment it was handed to the
 * socket pool. node:http rather than fetch: fetch costs several times more CPU per request,
 * and the load generator shares the two cores with the API it measures.
 */
export interface GraphQLResponse {
  status: number;
  /** Parsed JSON body; null when the body was not JSON (e.g. a proxy's HTML error page). */
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  } | null;
  ms: number;
  /** Network failure (connection refused or reset): no HTTP status at all. */
  networkError?: string;
}

export interface GraphQLClient {
  post(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse>;
  /** Any path, GET, for /readyz, /healthz and /metrics. */
  get(path: string): Promise<{ status: number; text: string; ms: number; networkError?: string }>;
  close(): void;
}

/** Socket pool size: more sockets than in-flight requests the driver ever allows. */
export function createGraphQLClient(baseUrl: string, maxSockets = 256): GraphQLClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 10_000 });
  const host = url.hostname;
  const port = Number(url.port || 80);

  function send(method: 'GET' | 'POST', path: string, payload?: string, token?: string) {
    return new Promise<{ status: number; text: string; ms: number; networkError?: string }>((resolve) => {
      const started = performance.now();
      const headers: Record<string, string> = { accept: 'application/json' };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      if (token) headers.authorization = `Bearer ${token}`;
      const req = request({ host, port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', (error) =>
          resolve({ status: 0, text: '', ms: performance.now() - started, networkError: error.message }),
        );
      });
      req.on('error', (error: NodeJS.ErrnoException) =>
        resolve({
          status: 0,
          text: '',
          ms: performance.now() - started,
          networkError: error.code ?? error.message,
        }),
      );
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  return {
    async post(query, variables, token) {
      const result = await send('POST', '/graphql', JSON.stringify({ query, variables }), token);
      let body: GraphQLResponse['body'] = null;
      try {
        body = result.text ? (JSON.parse(result.text) as GraphQLResponse['body']) : null;
      } catch {
        body = null;
      }
      return {
        status: result.status,
        body,
        ms: result.ms,
        ...(result.networkError && { networkError: result.networkError }),
      };
    },
    async get(path) {
      const result = await send('GET', path);
      return {
        status: result.status,
        text: result.text,
        ms: result.ms,
        ...(result.networkError && { networkError: result.networkError }),
      };
    },
    close() {
      agent.destroy();
    },
  };
}
