import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
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

/** Tokens made by hand: what an attacker or a careless client could send. */
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function handMade(header: unknown, payload: unknown, secret = SECRET): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const good = () => ({
  sub: commuter(1).accountId,
  role: 'commuter',
  iss: 'swf-mobility',
  aud: 'swf-api',
  iat: now(),
  exp: now() + 600,
});

describe('verification (node:crypto, the checks jose makes)', () => {
  const fresh = () => new AccessTokens(SECRET, 60, 0); // no cache: every call verifies

  it('accepts our tokens and equivalent ones jose signs with the same key', async () => {
    const tokens = fresh();
    expect(await tokens.verify(await tokens.issue(commuter(2)))).toEqual(commuter(2));
    const key = new TextEncoder().encode(SECRET);
    const staff = await new SignJWT({ role: 'operator', tenant: 'olpe' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(commuter(3).accountId)
      .setIssuer('swf-mobility')
      .setAudience(['other', 'swf-api'])
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    expect(await tokens.verify(staff)).toEqual({
      role: 'operator',
      accountId: commuter(3).accountId,
      tenantId: 'olpe',
    });
    expect(await tokens.verify(handMade({ alg: 'HS256' }, good()))).toEqual(commuter(1));
  });

  it('refuses a changed payload, another key, another algorithm and a malformed token', async () => {
    const tokens = fresh();
    const token = await tokens.issue(commuter(4));
    const [header, , signature] = token.split('.');
    const tampered = `${header}.${b64({ ...good(), role: 'admin', tenant: 'olpe' })}.${signature}`;
    const refused = [
      tampered,
      handMade({ alg: 'HS256' }, good(), 'another-secret-that-is-32-characters-long'),
      handMade({ alg: 'none' }, good()),
      `${b64({ alg: 'none' })}.${b64(good())}.`,
      handMade({ alg: 'HS512' }, good()),
      handMade({ alg: 'HS256', crit: ['exp'] }, good()),
      handMade({ alg: 'HS256', b64: false }, good()),
      `${token}.x`,
      token.split('.').slice(0, 2).join('.'),
      `${token}=`,
      `${header}.bm90IGpzb24.${signature}`,
      handMade({ alg: 'HS256' }, ['array']),
      '',
    ];
    for (const candidate of refused) {
      await expect(tokens.verify(candidate), candidate).rejects.toEqual(new InvalidTokenError('invalid'));
    }
  });

  it('refuses wrong issuer, audience, role, missing subject, staff without a town, a future nbf, a non-numeric exp', async () => {
    const tokens = fresh();
    const refused = [
      { ...good(), iss: 'someone-else' },
      { ...good(), aud: 'swf-web' },
      { ...good(), aud: undefined },
      { ...good(), role: 'system' },
      { ...good(), sub: undefined },
      { ...good(), role: 'operator' },
      { ...good(), nbf: now() + 60 },
      { ...good(), exp: String(now() + 600) },
    ];
    for (const payload of refused) {
      await expect(
        tokens.verify(handMade({ alg: 'HS256' }, payload)),
        JSON.stringify(payload),
      ).rejects.toEqual(new InvalidTokenError('invalid'));
    }
  });

  it('an expired token is "expired", at its exp second already', async () => {
    const tokens = fresh();
    await expect(tokens.verify(handMade({ alg: 'HS256' }, { ...good(), exp: now() }))).rejects.toEqual(
      new InvalidTokenError('expired'),
    );
    expect(await tokens.verify(handMade({ alg: 'HS256' }, { ...good(), exp: now() + 2 }))).toEqual(
      commuter(1),
    );
  });
});
