import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';
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
  /** Imported into WebCrypto once, for jose to sign with. */
  private readonly key: Promise<CryptoKey>;
  /** The same secret for verification with node:crypto (see `verifyUncached`). */
  private readonly secret: Buffer;
  private readonly verified = new Map<string, { actor: Actor; expiresAtMs: number }>();

  constructor(
    secret: string,
    private readonly ttlMinutes: number,
    private readonly cacheSize = VERIFIED_TOKEN_CACHE_SIZE,
  ) {
    this.secret = Buffer.from(secret, 'utf8');
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

  /**
   * HS256 checked with node:crypto in the request's own turn of the event loop. jose verifies
   * through WebCrypto, whose every call is an asynchronous job with its key and data handed
   * over: about a tenth of the API's CPU per booking while 2000 commuters signed in at once
   * (BENCHMARKS.md), against a few microseconds here. The checks are jose's for our tokens:
   * exactly three base64url parts, header alg HS256 and nothing critical, the signature,
   * issuer, audience, expiry and not-before; tokens.test.ts holds them to it with tokens jose
   * signed.
   */
  private async verifyUncached(token: string): Promise<{ actor: Actor; expiresAtMs: number }> {
    const payload = this.checkedPayload(token);
    const role = payload.role as Role;
    if (typeof payload.sub !== 'string' || !payload.sub || !roles.includes(role)) {
      throw new InvalidTokenError('invalid');
    }
    const tenantId = typeof payload.tenant === 'string' ? payload.tenant : null;
    if (role !== 'commuter' && !tenantId) throw new InvalidTokenError('invalid');
    // Our tokens always carry exp; one without is cached for a minute at most.
    const expiresAtMs = typeof payload.exp === 'number' ? payload.exp * 1000 : Date.now() + 60_000;
    return {
      actor: { role, accountId: payload.sub, tenantId: role === 'commuter' ? null : tenantId },
      expiresAtMs,
    };
  }

  private checkedPayload(token: string): Record<string, unknown> {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) throw new InvalidTokenError('invalid');
    const [header, body, signature] = parts as [string, string, string];
    const expected = createHmac('sha256', this.secret).update(`${header}.${body}`).digest('base64url');
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
      throw new InvalidTokenError('invalid');
    }
    const protectedHeader = parseJsonPart(header);
    if (protectedHeader.alg !== 'HS256' || 'crit' in protectedHeader || 'b64' in protectedHeader) {
      throw new InvalidTokenError('invalid');
    }
    const payload = parseJsonPart(body);
    const audience = payload.aud;
    if (payload.iss !== issuer) throw new InvalidTokenError('invalid');
    if (!(audience === accessAudience || (Array.isArray(audience) && audience.includes(accessAudience)))) {
      throw new InvalidTokenError('invalid');
    }
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const claim of ['exp', 'nbf', 'iat'] as const) {
      if (claim in payload && typeof payload[claim] !== 'number') throw new InvalidTokenError('invalid');
    }
    if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds) throw new InvalidTokenError('invalid');
    if (typeof payload.exp === 'number' && payload.exp <= nowSeconds) throw new InvalidTokenError('expired');
    return payload;
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function parseJsonPart(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('invalid');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidTokenError('invalid');
  return value as Record<string, unknown>;
}
