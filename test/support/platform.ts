import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type Platform, startPlatform } from '../../services/api/platform.ts';
import { type Clock, systemClock } from '../../services/core/clock.ts';
import { loadConfig } from '../../services/core/config.ts';
import { createLogger } from '../../services/core/logging.ts';
import { createTestDatabase } from './postgres.ts';

export interface TestPlatform extends Platform {
  databaseUrl: string;
  /** POSTs a GraphQL operation in-process through the real Hono app (middleware included). */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResponse<T>>;
  /** Registers a commuter and returns its token and id. */
  commuter(name?: string): Promise<{ token: string; id: string; email: string }>;
  /** Creates staff of a town and returns its token. */
  staff(tenantId: string, role: 'operator' | 'planner' | 'admin'): Promise<{ token: string; id: string }>;
}

export interface GqlResponse<T> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export const TEST_PASSWORD = 'correct-horse-battery';

/**
 * The whole API on a fresh real PostgreSQL database, with background workers stopped so
 * tests drive them (`runBackgroundOnce`) and time (`clock`) themselves.
 */
export async function createTestPlatform(
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<TestPlatform & { dropDatabase(): Promise<void> }> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '20',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'swf-test-')),
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const platform = await startPlatform(config, {
    clock: options.clock ?? systemClock,
    runWorkers: false,
    logger: createLogger('silent'),
  });

  const gql: TestPlatform['gql'] = async (query, variables, token) => {
    const response = await platform.app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: never; errors?: GqlResponse<never>['errors'] };
    return { status: response.status, data: body.data, ...(body.errors && { errors: body.errors }) };
  };

  const commuter: TestPlatform['commuter'] = async (name = 'commuter') => {
    const email = `${name}-${randomBytes(4).toString('hex')}@example.org`;
    const result = await gql(
      `mutation($input: RegisterInput!) { register(input: $input) {
         __typename ... on AuthPayload { token account { id } } ... on Error { message } } }`,
      { input: { email, password: TEST_PASSWORD, name } },
    );
    const payload = result.data.register;
    if (payload.__typename !== 'AuthPayload') throw new Error(`register failed: ${JSON.stringify(result)}`);
    return { token: payload.token, id: payload.account.id, email };
  };

  const staff: TestPlatform['staff'] = async (tenantId, role) => {
    const email = `${role}.${tenantId}-${randomBytes(4).toString('hex')}@example.org`;
    const account = await platform.services.accounts.createStaff({
      email,
      password: TEST_PASSWORD,
      name: role,
      tenantId,
      role,
    });
    const { token } = await platform.services.accounts.login({ email, password: TEST_PASSWORD });
    return { token, id: account.id };
  };

  return {
    ...platform,
    databaseUrl: database.url,
    gql,
    commuter,
    staff,
    async dropDatabase() {
      await platform.close();
      await platform.database.close();
      await database.drop();
    },
  };
}

type TestPlatformWithDrop = Awaited<ReturnType<typeof createTestPlatform>>;

/**
 * One platform for a test file: started before its tests, its database dropped after them.
 * Returns a stand-in that forwards to the running platform, so a file writes
 * `const platform = useTestPlatform()` at the top instead of the same beforeAll/afterAll pair.
 */
export function useTestPlatform(
  options: Parameters<typeof createTestPlatform>[0] = {},
): TestPlatformWithDrop {
  let running: TestPlatformWithDrop | undefined;
  beforeAll(async () => {
    running = await createTestPlatform(options);
  });
  afterAll(async () => {
    await running?.dropDatabase();
  });
  return new Proxy({} as TestPlatformWithDrop, {
    get(_, key) {
      if (!running) throw new Error('the test platform is used before beforeAll started it');
      return Reflect.get(running, key);
    },
  });
}
