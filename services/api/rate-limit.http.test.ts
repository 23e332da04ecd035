import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform } from '../../test/support/platform.ts';

/** Mutation rate limits through the real HTTP stack, at their boundaries. */
const PER_ACCOUNT = 3;
const PER_IP = 5;

let platform: Awaited<ReturnType<typeof createTestPlatform>>;
let proxied: Awaited<ReturnType<typeof createTestPlatform>>;
beforeAll(async () => {
  platform = await createTestPlatform({
    env: {
      RATE_LIMIT_ACCOUNT_MUTATIONS_PER_MINUTE: String(PER_ACCOUNT),
      RATE_LIMIT_IP_MUTATIONS_PER_MINUTE: String(PER_IP),
    },
  });
  proxied = await createTestPlatform({
    env: { RATE_LIMIT_IP_MUTATIONS_PER_MINUTE: '1', RATE_LIMIT_TRUST_PROXY: 'true' },
  });
});
afterAll(async () => {
  await platform?.dropDatabase();
  await proxied?.dropDatabase();
});

// A harmless mutation: marking an unknown notification read answers a typed NotFoundError.
const MUTATION =
  'mutation { markNotificationRead(id: "00000000-0000-4000-8000-000000000000") { __typename } }';
const QUERY = '{ me { id } }';

async function post(
  target: typeof platform,
  query: string,
  options: { token?: string; ip?: string; headers?: Record<string, string> } = {},
) {
  const response = await target.app.request(
    '/graphql',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token && { authorization: `Bearer ${options.token}` }),
        ...options.headers,
      },
      body: JSON.stringify({ query }),
    },
    // What @hono/node-server passes as the environment: the incoming request and its socket.
    options.ip ? { incoming: { socket: { remoteAddress: options.ip } } } : undefined,
  );
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    },
  };
}

describe('mutations per account (RATE_LIMIT_ACCOUNT_MUTATIONS_PER_MINUTE)', () => {
  it(`allows ${PER_ACCOUNT} mutations, refuses the next with 429, Retry-After and RATE_LIMITED`, async () => {
    const { token } = await platform.commuter('busy');
    for (let i = 0; i < PER_ACCOUNT; i++) {
      const ok = await post(platform, MUTATION, { token });
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();
    }
    const refused = await post(platform, MUTATION, { token });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(20); // 3 per minute: a token every 20 s
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.body.errors?.[0]?.message).toMatch(/try again in \d+ s/);
    expect(refused.body.errors?.[0]?.extensions).not.toHaveProperty('http');
  });

  it('queries are not limited, and another account has its own budget', async () => {
    const { token } = await platform.commuter('reader');
    for (let i = 0; i < PER_ACCOUNT + 2; i++)
      expect((await post(platform, QUERY, { token })).status).toBe(200);
    for (let i = 0; i < PER_ACCOUNT; i++) await post(platform, MUTATION, { token });
    expect((await post(platform, MUTATION, { token })).status).toBe(429);
    const other = await platform.commuter('other');
    expect((await post(platform, MUTATION, { token: other.token })).status).toBe(200);
  });
});

describe('mutations per client address (RATE_LIMIT_IP_MUTATIONS_PER_MINUTE)', () => {
  it(`allows ${PER_IP} mutations from one address across accounts, then 429; another address is free`, async () => {
    const ip = '203.0.113.10';
    const accounts = await Promise.all([1, 2, 3].map((n) => platform.commuter(`shared-ip-${n}`)));
    for (let i = 0; i < PER_IP; i++) {
      expect((await post(platform, MUTATION, { token: accounts[i % 3]!.token, ip })).status).toBe(200);
    }
    const refused = await post(platform, MUTATION, { token: accounts[2]!.token, ip });
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    expect((await post(platform, MUTATION, { token: accounts[2]!.token, ip: '203.0.113.11' })).status).toBe(
      200,
    );
  });

  it('anonymous sign-in attempts count against the address', async () => {
    const ip = '203.0.113.20';
    const login =
      'mutation { login(input: { email: "nobody@example.org", password: "wrong-password" }) { __typename } }';
    for (let i = 0; i < PER_IP; i++) expect((await post(platform, login, { ip })).status).toBe(200);
    expect((await post(platform, login, { ip })).status).toBe(429);
  });

  it('behind a proxy the last X-Forwarded-For entry is the client; earlier entries are ignored', async () => {
    const login =
      'mutation { login(input: { email: "nobody@example.org", password: "wrong-password" }) { __typename } }';
    const via = (forwarded: string) => ({ ip: '10.0.0.1', headers: { 'x-forwarded-for': forwarded } });
    expect((await post(proxied, login, via('198.51.100.1'))).status).toBe(200);
    // A client claiming another address in front does not get a fresh budget.
    expect((await post(proxied, login, via('192.0.2.99, 198.51.100.1'))).status).toBe(429);
    expect((await post(proxied, login, via('198.51.100.2'))).status).toBe(200);
  });
});
