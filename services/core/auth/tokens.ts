import { errors, jwtVerify, SignJWT } from 'jose';
import type { Actor, Role } from '../tenancy.ts';

const issuer = 'swf-mobility';
const accessAudience = 'swf-api';
const roles: readonly Role[] = ['commuter', 'operator', 'planner', 'admin'];

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'Access token expired' : 'Access token invalid');
  }
}

/**
 * Tokens verified recently, kept so that a client's next requests skip the HMAC check: the
 * check runs through WebCrypto and was about a tenth of the API's CPU per booking
 * (BENCHMARKS.md). An entry is the exact token string that passed, with its expiry.
 */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/** HS256 access tokens: short-lived, carry the account id, role and (for staff) the town. */
export class AccessTokens {
  /**
   * Imported into WebCrypto once: handed raw bytes, jose imports the key again for every token,
   * which took more than half of each verification (80 µs → 34 µs per token on this machine).
   */
  private readonly key: Promise<CryptoKey>;
  private readonly verified = new Map<string, { actor: Actor; expiresAtMs: number }>();

  constructor(
    secret: string,
    private readonly ttlMinutes: number,
    private readonly cacheSize = VERIFIED_TOKEN_CACHE_SIZE,
  ) {
    this.key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  /** How many verified tokens are cached (for tests of the bound). */
  get cachedTokens(): number {
    return this.verified.size;
  }

  async issue(actor: Actor): Promise<string> {
    if (!actor.accountId) throw new Error('Only accounts get access tokens');
    return new SignJWT({ role: actor.role, tenant: actor.tenantId ?? undefined })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(actor.accountId)
      .setIssuer(issuer)
      .setAudience(accessAudience)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlMinutes}m`)
      .sign(await this.key);
  }

  async verify(token: string): Promise<Actor> {
    const cached = this.verified.get(token);
    if (cached) {
      if (Date.now() < cached.expiresAtMs) return cached.actor;
      this.verified.delete(token);
      throw new InvalidTokenError('expired');
    }
    const { actor, expiresAtMs } = await this.verifyUncached(token);
    if (this.cacheSize > 0) {
      // Map keeps insertion order: the first key is the oldest entry.
      if (this.verified.size >= this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { actor, expiresAtMs });
    }
    return actor;
  }

  private async verifyUncached(token: string): Promise<{ actor: Actor; expiresAtMs: number }> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        issuer,
        audience: accessAudience,
        algorithms: ['HS256'],
      });
      const role = payload.role as Role;
      if (!payload.sub || !roles.includes(role)) throw new InvalidTokenError('invalid');
      const tenantId = typeof payload.tenant === 'string' ? payload.tenant : null;
      if (role !== 'commuter' && !tenantId) throw new InvalidTokenError('invalid');
      // Our tokens always carry exp; one without is cached for a minute at most.
      const expiresAtMs = typeof payload.exp === 'number' ? payload.exp * 1000 : Date.now() + 60_000;
      return {
        actor: { role, accountId: payload.sub, tenantId: role === 'commuter' ? null : tenantId },
        expiresAtMs,
      };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError('expired');
      throw new InvalidTokenError('invalid');
    }
  }
}
