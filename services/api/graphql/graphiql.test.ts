import { expect, it } from 'vitest';
import { useTestPlatform } from '../../../test/support/platform.ts';

/** GraphiQL's renderer is loaded on the first page only (it is large); the page must still come. */
const platform = useTestPlatform({ env: { NODE_ENV: 'development' } });

it('a browser asking for /graphql gets the GraphiQL page in development', async () => {
  const response = await platform.app.request('/graphql', { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/text\/html/);
  expect(await response.text()).toMatch(/Mobilität Südwestfalen – GraphQL/);
});
