import { describe, expect, it } from 'vitest';
import { AvailabilityCache, type Lookup, MAX_CONCURRENT_REFRESHES } from './availability-cache.ts';

/** The cache on its own, on a clock the test moves. The answers through GraphQL: availability-cache.plugin.test.ts. */
function cacheAt(start = 1_000_000, ttlMs = 10_000, maxEntries?: number) {
  const clock = { ms: start };
  const cache = new AvailabilityCache({ ttlMs, now: () => clock.ms, ...(maxEntries && { maxEntries }) });
  return { cache, clock };
}

function computed(cache: AvailabilityCache, key: string, sites: string[], body: string | undefined) {
  const found = cache.lookup(key, sites);
  expect(found.kind).toBe('miss');
  (found as Extract<Lookup, { kind: 'miss' }>).finish(body);
}

describe('AvailabilityCache', () => {
  it('serves a stored answer until the TTL, and never after it or before it was stored', () => {
    const { cache, clock } = cacheAt();
    computed(cache, 'k', ['a'], 'answer');
    expect(cache.lookup('k', ['a'])).toEqual({ kind: 'hit', body: 'answer' });
    clock.ms += 9_999;
    // Past the refresh point: the first asker computes anew, the others still get the answer.
    expect(cache.lookup('k', ['a']).kind).toBe('miss');
    expect(cache.lookup('k', ['a'])).toEqual({ kind: 'hit', body: 'answer' });
    clock.ms += 1;
    expect(cache.lookup('k', ['a']).kind).not.toBe('hit');

    const back = cacheAt();
    computed(back.cache, 'k', ['a'], 'answer');
    back.clock.ms -= 1;
    expect(back.cache.lookup('k', ['a']).kind).toBe('miss');
  });

  it('refreshes a stale answer once while others are served the stored one, within the TTL', () => {
    const { cache, clock } = cacheAt();
    computed(cache, 'k', ['a'], 'old');
    clock.ms += 7_000; // past 40–70 % of the TTL: due for refresh
    const refresh = cache.lookup('k', ['a']);
    expect(refresh.kind).toBe('miss');
    expect(cache.lookup('k', ['a'])).toEqual({ kind: 'hit', body: 'old' });
    (refresh as Extract<Lookup, { kind: 'miss' }>).finish('new');
    expect(cache.lookup('k', ['a'])).toEqual({ kind: 'hit', body: 'new' });
  });

  it('refreshes at most MAX_CONCURRENT_REFRESHES answers at once; the others are served as they are until expiry', () => {
    const { cache, clock } = cacheAt();
    const keys = Array.from({ length: MAX_CONCURRENT_REFRESHES + 2 }, (_, i) => `k${i}`);
    for (const key of keys) computed(cache, key, ['a'], `old ${key}`);
    clock.ms += 7_000; // all due for refresh
    const refreshing = keys.map((key) => cache.lookup(key, ['a']));
    expect(refreshing.filter((l) => l.kind === 'miss')).toHaveLength(MAX_CONCURRENT_REFRESHES);
    expect(refreshing.filter((l) => l.kind === 'hit')).toHaveLength(2);
    for (const l of refreshing) if (l.kind === 'miss') l.finish('new');
    // With the refreshes done, the next answer due is refreshed by its next asker.
    const waiting = keys.filter((_, i) => refreshing[i]!.kind === 'hit');
    expect(cache.lookup(waiting[0]!, ['a']).kind).toBe('miss');
    // Past the TTL nothing old is served.
    clock.ms += 3_000;
    expect(cache.lookup(waiting[1]!, ['a']).kind).toBe('miss');
  });

  it('lets concurrent askers share one computation, and its failure makes them compute', async () => {
    const { cache } = cacheAt();
    const first = cache.lookup('k', ['a']) as Extract<Lookup, { kind: 'miss' }>;
    const second = cache.lookup('k', ['a']);
    const third = cache.lookup('k', ['a']);
    expect([first.kind, second.kind, third.kind]).toEqual(['miss', 'shared', 'shared']);
    first.finish('answer');
    expect(await (second as Extract<Lookup, { kind: 'shared' }>).answer).toBe('answer');
    expect(cache.answers).toEqual({ hit: 0, shared: 2, miss: 1 });

    const failing = cache.lookup('x', ['a']) as Extract<Lookup, { kind: 'miss' }>;
    const waiting = cache.lookup('x', ['a']) as Extract<Lookup, { kind: 'shared' }>;
    failing.finish(undefined); // an error answer is not shared nor kept
    expect(await waiting.answer).toBeUndefined();
    expect(cache.lookup('x', ['a']).kind).toBe('miss');
  });

  it('forgets a site on invalidation; an answer computed across it is neither kept nor shared with later askers', () => {
    const { cache } = cacheAt();
    computed(cache, 'a1', ['a'], 'A');
    computed(cache, 'b1', ['b'], 'B');
    cache.invalidateSite('a');
    expect(cache.lookup('a1', ['a']).kind).toBe('miss');
    expect(cache.lookup('b1', ['b'])).toEqual({ kind: 'hit', body: 'B' });

    const before = cache.lookup('a2', ['a']) as Extract<Lookup, { kind: 'miss' }>;
    cache.invalidateSite('a'); // a booking of site a changed while the answer was being computed
    expect(cache.lookup('a2', ['a']).kind).toBe('miss'); // a later asker does not wait for the old computation
    before.finish('from before the change');
    expect(cache.lookup('a2', ['a']).kind).not.toBe('hit');

    // A change at another site does not spoil a computation of this one.
    const other = cache.lookup('b2', ['b']) as Extract<Lookup, { kind: 'miss' }>;
    cache.invalidateSite('a');
    other.finish('B2');
    expect(cache.lookup('b2', ['b'])).toEqual({ kind: 'hit', body: 'B2' });
  });

  it('clear() forgets everything, including answers being computed', () => {
    const { cache } = cacheAt();
    computed(cache, 'a1', ['a'], 'A');
    const running = cache.lookup('b1', ['b']) as Extract<Lookup, { kind: 'miss' }>;
    cache.clear();
    running.finish('B');
    expect(cache.lookup('a1', ['a']).kind).toBe('miss');
    expect(cache.lookup('b1', ['b']).kind).toBe('miss');
  });

  it('keeps at most maxEntries answers, dropping the oldest; a TTL of 0 keeps nothing', () => {
    const { cache } = cacheAt(1_000_000, 10_000, 2);
    computed(cache, 'k1', ['a'], '1');
    computed(cache, 'k2', ['a'], '2');
    computed(cache, 'k3', ['b'], '3');
    expect(cache.size).toBe(2);
    expect(cache.lookup('k1', ['a']).kind).toBe('miss');
    expect(cache.lookup('k3', ['b'])).toEqual({ kind: 'hit', body: '3' });

    const off = cacheAt(1_000_000, 0).cache;
    expect(off.enabled).toBe(false);
    computed(off, 'k', ['a'], 'answer');
    expect(off.size).toBe(0);
  });
});
