/**
 * Answers of the availability query kept for a while (AVAILABILITY_CACHE_MS), so that many people looking at
 * the same garage and window cost one database query and one GraphQL execution instead of
 * one each. Availability is the most frequent request of the platform and the most repeated
 * (the same few garages, the same morning hours); BENCHMARKS.md has the figures.
 *
 * An answer leaves the cache
 * - when a booking of its site changes: the booking trigger's `booking_changed` notification
 *   reaches every API process (AvailabilityFeed), the sweeper's and the bridge's changes too;
 * - when this process runs any mutation (everything goes): a commuter who has just booked,
 *   cancelled or had a space retired sees the change in the next answer, without waiting for
 *   the notification, which travels on its own connection and may come a moment later;
 * - after `ttlMs` on the service clock at the latest: what no notification reports (another
 *   API process editing the inventory) shows within that time. A hold that runs out is
 *   reported: the sweeper marks it expired every SWEEP_INTERVAL_MS, and that status change
 *   notifies like any other.
 */
export interface AvailabilityCacheOptions {
  /** How long an answer is served at most; 0 turns the cache off. */
  ttlMs: number;
  /** Answers kept at most; past this the oldest goes. */
  maxEntries?: number;
  now: () => number;
}

export const AVAILABILITY_CACHE_MAX_ENTRIES = 2000;
/** Answers due for refresh recomputed at once at most; the others are served as they are meanwhile. */
export const MAX_CONCURRENT_REFRESHES = 2;

interface Entry {
  body: string;
  siteIds: readonly string[];
  storedAtMs: number;
  /** From here on, the next request computes the answer anew while the others still get this one. */
  refreshAtMs: number;
  expiresAtMs: number;
}

/** What the cache has for a request: an answer, one being computed, or the duty to compute it. */
export type Lookup =
  | { kind: 'hit'; body: string }
  /** Another request is computing this answer: wait for it (undefined: it had none to share). */
  | { kind: 'shared'; answer: Promise<string | undefined> }
  /** Compute it, then hand the serialised answer (undefined when it is not to be kept) to `finish`. */
  | { kind: 'miss'; finish: (body: string | undefined) => void };

interface Computation {
  generation: number;
  answer: Promise<string | undefined>;
}

export class AvailabilityCache {
  private readonly entries = new Map<string, Entry>();
  /** Which keys hold an answer about a site, for invalidation by site. */
  private readonly keysBySite = new Map<string, Set<string>>();
  /**
   * Answers being computed. Many people open the same garage at the same moment (the app's
   * first screen at 7:00); they wait for one computation instead of each starting their own.
   */
  private readonly computing = new Map<string, Computation>();
  private readonly maxEntries: number;
  /** Refreshes of answers still valid under way (see MAX_CONCURRENT_REFRESHES). */
  private refreshes = 0;
  /**
   * Count invalidations, of everything and per site. An answer whose computation overlapped
   * an invalidation of its sites may predate the change: it goes to those who asked before the
   * change, but it is not kept, and nobody who asks after the change waits for it.
   */
  private clears = 0;
  private readonly siteInvalidations = new Map<string, number>();
  readonly answers = { hit: 0, shared: 0, miss: 0 };

  constructor(private readonly options: AvailabilityCacheOptions) {
    this.maxEntries = options.maxEntries ?? AVAILABILITY_CACHE_MAX_ENTRIES;
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  lookup(key: string, siteIds: readonly string[]): Lookup {
    const entry = this.entries.get(key);
    const running = this.computing.get(key);
    const current = running && running.generation === this.generationOf(siteIds) ? running : undefined;
    let refreshing = false;
    if (entry) {
      const now = this.options.now();
      // A clock that went back (tests set it) makes an answer as doubtful as an old one.
      const valid = now >= entry.storedAtMs && now < entry.expiresAtMs;
      // A valid answer due for refresh is still served while someone refreshes it, and while as
      // many refreshes as allowed run: answers stored in one burst come due together, and
      // refreshing them all at once stalled the process for a moment (BENCHMARKS.md).
      if (valid && (now < entry.refreshAtMs || current || this.refreshes >= MAX_CONCURRENT_REFRESHES)) {
        this.answers.hit++;
        return { kind: 'hit', body: entry.body };
      }
      if (valid) refreshing = true;
      else this.delete(key);
    }
    if (current) {
      this.answers.shared++;
      return { kind: 'shared', answer: current.answer };
    }
    this.answers.miss++;
    const generation = this.generationOf(siteIds);
    let settle!: (body: string | undefined) => void;
    const mine: Computation = { generation, answer: new Promise((resolve) => (settle = resolve)) };
    this.computing.set(key, mine);
    if (refreshing) this.refreshes++;
    let finished = false;
    return {
      kind: 'miss',
      finish: (body) => {
        if (finished) return;
        finished = true;
        if (refreshing) this.refreshes--;
        if (this.computing.get(key) === mine) this.computing.delete(key);
        if (body !== undefined && this.enabled && generation === this.generationOf(siteIds)) {
          this.store(key, siteIds, body);
        }
        settle(body);
      },
    };
  }

  invalidateSite(siteId: string): void {
    this.siteInvalidations.set(siteId, (this.siteInvalidations.get(siteId) ?? 0) + 1);
    const keys = this.keysBySite.get(siteId);
    if (!keys) return;
    for (const key of [...keys]) this.delete(key);
  }

  clear(): void {
    this.clears++;
    this.entries.clear();
    this.keysBySite.clear();
  }

  /** Changes whenever the answers about these sites may have changed (all counters only grow). */
  private generationOf(siteIds: readonly string[]): number {
    let generation = this.clears;
    for (const siteId of siteIds) generation += this.siteInvalidations.get(siteId) ?? 0;
    return generation;
  }

  private store(key: string, siteIds: readonly string[], body: string): void {
    this.delete(key);
    if (this.entries.size >= this.maxEntries) this.delete(this.entries.keys().next().value!);
    const now = this.options.now();
    // Refreshed by the first request after 40–70 % of the TTL, at random, while the others are
    // still served this answer: a garage in demand never makes its askers wait for the
    // database, and answers stored in one burst (first visits) are not recomputed in one burst.
    const refreshAtMs = now + this.options.ttlMs * (0.4 + Math.random() * 0.3);
    this.entries.set(key, {
      body,
      siteIds,
      storedAtMs: now,
      refreshAtMs,
      expiresAtMs: now + this.options.ttlMs,
    });
    for (const siteId of siteIds) {
      const keys = this.keysBySite.get(siteId) ?? new Set<string>();
      keys.add(key);
      this.keysBySite.set(siteId, keys);
    }
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const siteId of entry.siteIds) {
      const keys = this.keysBySite.get(siteId);
      keys?.delete(key);
      if (keys?.size === 0) this.keysBySite.delete(siteId);
    }
  }
}
