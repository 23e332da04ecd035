import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestPlatform } from '../../../test/support/platform.ts';

/** GraphiQL's renderer is loaded on the first page only (it is large); the page must still come. */
let platform: Awaited<ReturnType<typeof createTestPlatform>>;
beforeAll(async () => {
  platform = await createTestPlatform({ env: { NODE_ENV: 'development' } });
});
afterAll(async () => {
  await platform?.dropDatabase();
});

it('a browser asking for /graphql gets the GraphiQL page in development', async () => {
  const response = await platform.app.request('/graphql', { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/text\/html/);
  expect(await response.text()).toMatch(/Mobilität Südwestfalen – GraphQL/);
});
