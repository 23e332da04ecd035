import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGarage } from '../../../test/support/fixtures.ts';
import { createTestPlatform } from '../../../test/support/platform.ts';
import { AccessTokens } from '../../core/auth/tokens.ts';

type Platform = Awaited<ReturnType<typeof createTestPlatform>>;

const MAX_BODY_BYTES = 2048;
const MAX_DEPTH = 8;
const MAX_COST = 1000;
const JWT_SECRET = 'limits-test-secret-with-at-least-32-characters';

let platform: Platform;

beforeAll(async () => {
  platform = await createTestPlatform({
    env: {
      MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      GRAPHQL_MAX_DEPTH: String(MAX_DEPTH),
      GRAPHQL_MAX_COST: String(MAX_COST),
      JWT_SECRET,
    },
  });
  await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
});
afterAll(async () => {
  await platform?.dropDatabase();
});

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const response = await platform.app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(typeof body !== 'string' && { duplex: 'half' }),
  } as RequestInit);
  return { status: response.status, body: (await response.json()) as GraphQLBody & Record<string, unknown> };
}

/** `{ tenants { id } }` padded with spaces (insignificant in GraphQL) to exactly `bytes` bytes of JSON. */
function tenantsQueryOfSize(bytes: number): string {
  const empty = JSON.stringify({ query: '{ tenants { id } }' });
  return JSON.stringify({ query: `{ tenants { id } }${' '.repeat(bytes - empty.length)}` });
}

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      // Several chunks, as a chunked upload would arrive.
      for (let i = 0; i < bytes.length; i += 512) controller.enqueue(bytes.subarray(i, i + 512));
      controller.close();
    },
  });
}

describe('request body limit (MAX_BODY_BYTES)', () => {
  it('a body over the limit gets 413 PAYLOAD_TOO_LARGE as JSON', async () => {
    const body = tenantsQueryOfSize(MAX_BODY_BYTES + 1);
    const result = await post(body, { 'content-length': String(body.length) });
    expect(result.status).toBe(413);
    expect(result.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('a body over the limit without Content-Length (streamed) gets 413 too', async () => {
    const result = await post(streamOf(tenantsQueryOfSize(MAX_BODY_BYTES + 1)));
    expect(result.status).toBe(413);
    expect(result.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('a body of exactly the limit is served, with or without Content-Length', async () => {
    const body = tenantsQueryOfSize(MAX_BODY_BYTES);
    expect(new TextEncoder().encode(body).length).toBe(MAX_BODY_BYTES);
    for (const result of [
      await post(body, { 'content-length': String(body.length) }),
      await post(streamOf(body)),
    ]) {
      expect(result.status).toBe(200);
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data?.tenants).toContainEqual({ id: 'soest' });
    }
  });
});

/**
 * The same limits over a real socket: under @hono/node-server a body that declares its length
 * is read straight from Node's request (core/http/declared-body.ts), a chunked one through
 * Hono's streamed limit. Both must be served and limited alike.
 */
describe('request body limit over HTTP', () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: platform.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server?.close();
  });

  function send(body: string, chunked: boolean) {
    return new Promise<{ status: number; requestId: unknown; body: GraphQLBody & Record<string, unknown> }>(
      (resolve, reject) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (!chunked) headers['content-length'] = String(Buffer.byteLength(body));
        const req = httpRequest(
          { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                requestId: res.headers['x-request-id'],
                body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
              }),
            );
          },
        );
        req.on('error', reject);
        if (chunked) {
          // Several writes without Content-Length: Node sends them chunked.
          for (let i = 0; i < body.length; i += 512) req.write(body.slice(i, i + 512));
        } else req.write(body);
        req.end();
      },
    );
  }

  it('a body of exactly the limit is answered, with Content-Length or chunked, with a request id', async () => {
    for (const chunked of [false, true]) {
      const result = await send(tenantsQueryOfSize(MAX_BODY_BYTES), chunked);
      expect(result.status).toBe(200);
      expect(result.body.data?.tenants).toContainEqual({ id: 'soest' });
      expect(result.requestId).toMatch(/.+/);
    }
  });

  it('one byte more is 413 PAYLOAD_TOO_LARGE, with Content-Length or chunked', async () => {
    for (const chunked of [false, true]) {
      const result = await send(tenantsQueryOfSize(MAX_BODY_BYTES + 1), chunked);
      expect(result.status).toBe(413);
      expect(result.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    }
  });

  it('a body that is not JSON gets a GraphQL error, not a crash', async () => {
    const result = await send('{"query": ', false);
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.message).toMatch(/JSON/i);
  });
});

/**
 * A query `depth` fields deep, counted as the depth limit counts: one per nested selection.
 * It walks sites → edges → node → spaces → edges → node → site → spaces → … and ends in
 * `__typename`, which every type has.
 */
function queryOfDepth(depth: number): string {
  const chain = ['sites', 'edges', 'node'];
  while (chain.length < depth - 1) chain.push('spaces', 'edges', 'node', 'site');
  const fields = chain.slice(0, depth - 1);
  return `{ ${fields.map((f) => `${f} { `).join('')}__typename${' }'.repeat(fields.length)} }`;
}

describe('query depth limit (GRAPHQL_MAX_DEPTH)', () => {
  it('builds queries of the depth it is asked for', () => {
    expect(queryOfDepth(4)).toBe('{ sites { edges { node { __typename } } } }');
  });

  it('a query at the limit is answered', async () => {
    const result = await platform.gql(queryOfDepth(MAX_DEPTH));
    expect(result.errors).toBeUndefined();
    // sites → edges → node → spaces → edges → node → site → __typename
    expect(result.data.sites.edges[0].node.spaces.edges[0].node.site.__typename).toBe('Site');
  });

  it('a query one level deeper is rejected before it runs', async () => {
    const result = await platform.gql(queryOfDepth(MAX_DEPTH + 1));
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toMatch(new RegExp(`depth limit of ${MAX_DEPTH} exceeded`));
  });

  it('fragments do not hide depth', async () => {
    const result = await platform.gql(
      `fragment Deep on Site { spaces { edges { node { site { spaces { __typename } } } } } }
       { sites { edges { node { ...Deep } } } }`,
    );
    expect(result.errors?.[0]?.message).toMatch(/depth limit/);
  });
});

describe('query cost limit (GRAPHQL_MAX_COST)', () => {
  // With the plugin's weights (object 2, scalar 1, ×1.5 per level, × `first`):
  // sites(first: n) { edges { node { id } } } costs 12.875 × n.
  const sitesPage = (first: number) => `{ sites(first: ${first}) { edges { node { id } } } }`;

  it('a query under the limit is answered', async () => {
    const result = await platform.gql(sitesPage(77)); // 991.4
    expect(result.errors).toBeUndefined();
    expect(result.data.sites.edges.length).toBeGreaterThan(0);
  });

  it('a query over the limit is rejected before it runs', async () => {
    const result = await platform.gql(sitesPage(78)); // 1004.3
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(new RegExp(`Cost limit of ${MAX_COST} exceeded`));
  });

  it('a wide query (many aliases) over the limit is rejected', async () => {
    // 62 × sites { edges { node { id name } } } at 16.25 each: 1007.5, in under MAX_BODY_BYTES.
    const aliases = Array.from({ length: 62 }, (_, i) => `s${i}:sites{edges{node{id name}}}`).join(' ');
    const result = await platform.gql(`{ ${aliases} }`);
    expect(result.errors?.[0]?.message).toMatch(/Cost limit/);
  });

  // Product bug: the cost rule multiplies by `first` only when it is a literal; the same page
  // size passed as a variable costs as if it were 1, so any client can step around the limit.
  it('a page size passed as a variable counts like a literal one', async () => {
    const result = await platform.gql(
      'query($first: Int) { sites(first: $first) { edges { node { id } } } }',
      { first: 78 },
    );
    expect(result.errors?.[0]?.message).toMatch(/Cost limit/);
  });
});

describe('access tokens', () => {
  const me = '{ me { id } }';

  it('a garbage Bearer token gets 401 UNAUTHENTICATED', async () => {
    const result = await platform.gql(me, {}, 'not-a-token');
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0]?.message).toMatch(/invalid/);
  });

  it('an Authorization header that is not Bearer gets 401', async () => {
    const response = await platform.app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwdw==' },
      body: JSON.stringify({ query: me }),
    });
    expect(response.status).toBe(401);
  });

  it('a token signed with another secret gets 401 invalid', async () => {
    const commuter = await platform.commuter('forger');
    const forged = await new AccessTokens('another-secret-that-is-32-characters-long', 60).issue({
      role: 'commuter',
      accountId: commuter.id,
      tenantId: null,
    });
    const result = await platform.gql(me, {}, forged);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0]?.message).toMatch(/invalid/);
  });

  it('an expired token gets 401 expired; the same claims unexpired are accepted', async () => {
    const commuter = await platform.commuter('late');
    const key = new TextEncoder().encode(JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const sign = (exp: number) =>
      new SignJWT({ role: 'commuter' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(commuter.id)
        .setIssuer('swf-mobility')
        .setAudience('swf-api')
        .setIssuedAt(now - 3600)
        .setExpirationTime(exp)
        .sign(key);

    const expired = await platform.gql(me, {}, await sign(now - 60));
    expect(expired.status).toBe(401);
    expect(expired.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(expired.errors?.[0]?.message).toMatch(/expired/);

    const valid = await platform.gql(me, {}, await sign(now + 3600));
    expect(valid.errors).toBeUndefined();
    expect(valid.data.me.id).toBe(commuter.id);
  });
});

describe('unexpected errors are masked', () => {
  let broken: Platform;
  beforeAll(async () => {
    broken = await createTestPlatform();
    // Superuser connection: take the tenant table away, so the next read fails inside PostgreSQL.
    await sql`alter table tenant rename to tenant_moved_away`.execute(broken.database.db);
  });
  afterAll(async () => {
    await broken?.dropDatabase();
  });

  it('a database failure reaches the client as "Unexpected error." without SQL or stack', async () => {
    const response = await broken.app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ tenants { id name } }' }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as GraphQLBody;

    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.message).toBe('Unexpected error.');
    expect(text).not.toMatch(/relation|tenant_moved_away|select|"tenant"/i);
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    expect(body.errors![0]!.extensions ?? {}).not.toHaveProperty('originalError');
    expect(body.errors![0]!.extensions ?? {}).not.toHaveProperty('stack');
  });
});
