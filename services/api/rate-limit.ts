/**
 * Token buckets per key (an account, a client address): `perMinute` tokens at most, refilled
 * evenly over the minute, one taken per mutation. A full bucket allows a burst of `perMinute`;
 * an empty one says how long until the next token (Retry-After). In memory per API process:
 * behind a load balancer with n copies a client gets up to n times the limit, which is what
 * the limit is for (stop floods and password guessing), not exact accounting.
 */

/** Buckets kept at most; past this the oldest goes (a dropped bucket is a full one again). */
export const RATE_LIMIT_MAX_TRACKED_KEYS = 100_000;

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = RATE_LIMIT_MAX_TRACKED_KEYS,
  ) {
    if (!(perMinute > 0))
      throw new Error('A rate limit needs more than 0 per minute (0 means no limiter at all)');
    this.perMs = perMinute / 60_000;
  }

  /** Takes a token for `key`: 0 when allowed, otherwise the whole seconds until one is back. */
  take(key: string): number {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedMs) * this.perMs);
      bucket.updatedMs = now;
      // Most recently used last, so that eviction takes the stalest key.
      this.buckets.delete(key);
    } else {
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: this.perMinute, updatedMs: now };
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  get size(): number {
    return this.buckets.size;
  }
}
