import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccessTokens, InvalidTokenError, VERIFIED_TOKEN_CACHE_SIZE } from './tokens.ts';

const SECRET = 'tokens-test-secret-with-at-least-32-characters';
const commuter = (n: number) => ({
  role: 'commuter' as const,
  accountId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  tenantId: null,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('verified-token cache', () => {
  it('is bounded: at the limit the oldest entry goes', async () => {
    expect(VERIFIED_TOKEN_CACHE_SIZE).toBeGreaterThan(0);
    const tokens = new AccessTokens(SECRET, 60, 3);
    const issued = await Promise.all([1, 2, 3, 4].map((n) => tokens.issue(commuter(n))));
    for (const token of issued.slice(0, 3)) await tokens.verify(token);
    expect(tokens.cachedTokens).toBe(3);
    await tokens.verify(issued[3]!);
    expect(tokens.cachedTokens).toBe(3);
    // The evicted first token still verifies (the slow way) and comes back into the cache.
    expect(await tokens.verify(issued[0]!)).toEqual(commuter(1));
  });

  it('a cached token is refused once it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T06:00:00Z'));
    const tokens = new AccessTokens(SECRET, 1);
    const token = await tokens.issue(commuter(7));
    expect(await tokens.verify(token)).toEqual(commuter(7));
    expect(tokens.cachedTokens).toBe(1);

    vi.setSystemTime(new Date('2026-11-23T06:01:01Z'));
    await expect(tokens.verify(token)).rejects.toEqual(new InvalidTokenError('expired'));
    expect(tokens.cachedTokens).toBe(0);
  });

  it('a token signed with another key is never cached', async () => {
    const forged = await new AccessTokens('another-secret-that-is-32-characters-long', 60).issue(commuter(9));
    const tokens = new AccessTokens(SECRET, 60);
    await expect(tokens.verify(forged)).rejects.toEqual(new InvalidTokenError('invalid'));
    expect(tokens.cachedTokens).toBe(0);
  });
});
