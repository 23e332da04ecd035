import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_MAX_TRACKED_KEYS, TokenBuckets } from './rate-limit.ts';

describe('TokenBuckets', () => {
  it('allows exactly perMinute at once, then says when the next token comes', () => {
    let now = 0;
    const buckets = new TokenBuckets(6, () => now);
    for (let i = 0; i < 6; i++) expect(buckets.take('a')).toBe(0);
    // 6 per minute: one token every 10 s.
    expect(buckets.take('a')).toBe(10);
    now += 9_999;
    expect(buckets.take('a')).toBe(1);
    now += 1;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(10);
  });

  it('refills to full over a minute and no further', () => {
    let now = 0;
    const buckets = new TokenBuckets(3, () => now);
    for (let i = 0; i < 3; i++) buckets.take('a');
    now += 10 * 60_000;
    for (let i = 0; i < 3; i++) expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
  });

  it('keeps keys apart', () => {
    const buckets = new TokenBuckets(1, () => 0);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
    expect(buckets.take('b')).toBe(0);
  });

  it('tracks at most maxKeys buckets; the stalest goes first', () => {
    expect(RATE_LIMIT_MAX_TRACKED_KEYS).toBe(100_000);
    const buckets = new TokenBuckets(1, () => 0, 2);
    buckets.take('a');
    buckets.take('b');
    buckets.take('a'); // a is now the most recently used
    expect(buckets.size).toBe(2);
    buckets.take('c');
    expect(buckets.size).toBe(2);
    // a was kept: still empty; b was evicted: it starts full again.
    expect(buckets.take('a')).toBeGreaterThan(0);
    expect(buckets.take('b')).toBe(0);
  });

  it('refuses 0 per minute: 0 means no limiter, not a limiter that refuses everything', () => {
    expect(() => new TokenBuckets(0)).toThrow(/more than 0/);
  });
});
