import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, useTestPlatform } from '../../../test/support/platform.ts';
import { withAdmin } from '../../../test/support/postgres.ts';
import { createLogger } from '../logging.ts';
import { createServiceApp } from './service-app.ts';

type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
const platform = useTestPlatform();

const TENANTS = JSON.stringify({ query: '{ tenants { id } }' });

function postGraphQL(app: Platform['app'], headers: Record<string, string> = {}) {
  return app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: TENANTS,
  });
}

describe('/healthz', () => {
  it('answers 200 {status: ok} with the service name', async () => {
    const response = await platform.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', service: 'api' });
  });
});

describe('/readyz', () => {
  it('answers 200 ready while the database answers', async () => {
    const response = await platform.app.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  describe('after the database handle is closed', () => {
    let closed: Platform;
    beforeAll(async () => {
      closed = await createTestPlatform();
      // The live feed listens on the same pool; stop it first so nothing talks to the closed handle.
      await closed.services.availabilityFeed.stop();
      await closed.database.close();
    });
    afterAll(async () => {
      if (!closed) return;
      const name = new URL(closed.databaseUrl).pathname.slice(1);
      await withAdmin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
    });

    it('answers 503 unavailable, while /healthz still answers 200', async () => {
      const ready = await closed.app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'unavailable' });

      const health = await closed.app.request('/healthz');
      expect(health.status).toBe(200);
    });
  });
});

describe('/metrics', () => {
  it('counts requests in Prometheus text by method, route and status', async () => {
    expect((await postGraphQL(platform.app)).status).toBe(200);
    const response = await platform.app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^# TYPE http_requests_total counter$/m);
    expect(text).toMatch(
      /^http_requests_total\{(?=[^}]*method="POST")(?=[^}]*route="\/graphql")(?=[^}]*status="200")(?=[^}]*service="api")[^}]*\} [1-9]\d*$/m,
    );
    expect(text).toMatch(/^http_request_duration_seconds_count\{[^}]*route="\/graphql"[^}]*\} [1-9]\d*$/m);
  });

  it('the counter grows with each request', async () => {
    const count = async () => {
      const text = await (await platform.app.request('/metrics')).text();
      const line = text
        .split('\n')
        .find((l) => /^http_requests_total\{/.test(l) && l.includes('route="/healthz"'));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const before = await count();
    await platform.app.request('/healthz');
    await platform.app.request('/healthz');
    expect(await count()).toBe(before + 2);
  });

  it('unknown paths do not each get a label of their own (no unbounded label values)', async () => {
    const path = `/no-such-${randomBytes(6).toString('hex')}`;
    expect((await platform.app.request(path)).status).toBe(404);
    const text = await (await platform.app.request('/metrics')).text();
    expect(text).not.toContain(path);
  });
});

describe('X-Request-Id', () => {
  const requestIds = (responses: Response[]) => {
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[\w-]{8,}$/);
    expect(new Set(ids).size).toBe(ids.length);
  };

  it("every response of the frame's own endpoints carries one, unique per request", async () => {
    const oversized = 'x'.repeat(100_001); // over the default MAX_BODY_BYTES
    requestIds([
      await platform.app.request('/healthz'),
      await platform.app.request('/readyz'),
      await platform.app.request('/metrics'),
      await platform.app.request('/nowhere'),
      await platform.app.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(oversized.length) },
        body: oversized,
      }),
    ]);
  });

  // Product bug: the /graphql handler returns Yoga's Response as it is, and Hono drops the
  // headers that middleware set before a handler's own Response (requestId's c.header()).
  it('GraphQL responses carry one too, answered or refused', async () => {
    requestIds([
      await postGraphQL(platform.app),
      await postGraphQL(platform.app, { authorization: 'Bearer garbage' }),
    ]);
  });

  it("a caller's id is kept, so a request can be followed across services", async () => {
    const response = await platform.app.request('/healthz', { headers: { 'X-Request-Id': 'trace-4711' } });
    expect(response.headers.get('x-request-id')).toBe('trace-4711');
  });
});

describe('errors of the frame', () => {
  it('an unknown path is 404 JSON with code NOT_FOUND and the request id', async () => {
    const response = await platform.app.request('/api/v0/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('a handler that throws is 500 INTERNAL without its message', async () => {
    const { app } = createServiceApp({
      name: 'frame-test',
      logger: createLogger('silent'),
      maxBodyBytes: 1024,
      checkReady: async () => {},
    });
    app.get('/boom', () => {
      throw new Error('password=hunter2 at db.internal:5432');
    });
    const response = await app.request('/boom');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'INTERNAL', message: 'Internal error' } });
    expect(text).not.toContain('hunter2');
  });
});
