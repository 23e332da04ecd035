import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { Logger } from '../logging.ts';
import { createMetrics, type Metrics } from './metrics.ts';

export interface ServiceAppOptions {
  name: string;
  logger: Logger;
  maxBodyBytes: number;
  /** Throws when the service cannot serve (e.g. the database does not answer). */
  checkReady: () => Promise<void>;
}

export type ServiceEnv = { Variables: { requestId: string } };

/**
 * The frame every service shares: request ids, JSON access logs, body size limit,
 * /healthz (the process lives), /readyz (its dependencies answer), /metrics (Prometheus),
 * and one error handler that answers `{ error: { code, message, requestId } }`.
 */
export function createServiceApp(options: ServiceAppOptions): { app: Hono<ServiceEnv>; metrics: Metrics } {
  const { logger } = options;
  const metrics = createMetrics(options.name);
  const app = new Hono<ServiceEnv>();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  // Handlers that return a ready-made Response (GraphQL) would drop the header the middleware set.
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('X-Request-Id')) c.res.headers.set('X-Request-Id', c.get('requestId'));
  });
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = c.req.routePath;
    metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.duration.observe({ method: c.req.method, route }, seconds);
    if (route !== '/healthz' && route !== '/metrics') {
      logger.info(
        {
          requestId: c.get('requestId'),
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(seconds * 1000),
        },
        'request',
      );
    }
  });
  const tooLarge = (c: Context<ServiceEnv>) =>
    c.json(
      {
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          message: `Request body over ${options.maxBodyBytes} bytes`,
          requestId: c.get('requestId'),
        },
      },
      413,
    );
  const streamedBodyLimit = bodyLimit({ maxSize: options.maxBodyBytes, onError: tooLarge });
  app.use(async (c, next) => {
    // A request that declares its length is judged by the header alone (Node's parser reads
    // exactly that many bytes, never more). Hono's bodyLimit reads `c.req.raw.body` first,
    // which turns @hono/node-server's lightweight request into a full web Request with a
    // stream and an AbortController: a tenth of the API's CPU per request (BENCHMARKS.md).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && /^\d+$/.test(length) && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > options.maxBodyBytes ? tooLarge(c) : next();
    }
    return streamedBodyLimit(c, next);
  });

  app.get('/healthz', (c) => c.json({ status: 'ok', service: options.name }));
  app.get('/readyz', async (c) => {
    try {
      await options.checkReady();
      return c.json({ status: 'ready' });
    } catch (err) {
      // The cause goes to the log only: it may name hosts and users.
      logger.warn({ err }, 'not ready');
      return c.json({ status: 'unavailable', reason: 'a dependency does not answer' }, 503);
    }
  });
  app.get('/metrics', async (c) =>
    c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
  );

  app.notFound((c) =>
    c.json({ error: { code: 'NOT_FOUND', message: 'No such endpoint', requestId: c.get('requestId') } }, 404),
  );
  app.onError((err, c) => {
    logger.error({ err, requestId: c.get('requestId') }, 'unhandled error');
    return c.json(
      { error: { code: 'INTERNAL', message: 'Internal error', requestId: c.get('requestId') } },
      500,
    );
  });
  return { app, metrics };
}
