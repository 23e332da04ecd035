import { type BenchDatabase, countOverlaps, type Seeded } from './bench-database.ts';
import { rawInserts } from './db-floor.ts';
import { arrivalRate, closedLoop, Recorder, type RunResult, type Stage } from './driver.ts';
import type { GraphQLClient } from './http-client.ts';
import {
  type CpuSnapshot,
  cpuBetween,
  cpuSnapshot,
  type MemorySampler,
  type ProcessSet,
} from './resources.ts';
import * as scenarios from './scenarios.ts';

/** One measured phase of the bench: a baseline or a scenario, with its memory peaks and the overlap check. */
export interface PhaseResult extends RunResult {
  name: string;
  executor: string;
  memoryPeakMb: Record<string, number>;
  /** Pairs of overlapping live bookings after the phase (SQL): must be 0. */
  overlapsAfter: number;
  /**
   * CPU ms per request of each process in the measured window. On a machine shared with other
   * work, throughput moves with the neighbours' load; CPU per request hardly does.
   */
  cpuMsPerRequest: Record<string, number>;
}

export interface PhaseSizes {
  warmupMs: number;
  durationMs: number;
  concurrency: number;
  rushPeakRate: number;
  rushRampMs: number;
  rushHoldMs: number;
  journeyRate: number;
  journeyMs: number;
  mixedRate: number;
  mixedMs: number;
  /** Rates of the open-loop phases from the capacities measured earlier in the run. */
  derive: boolean;
}

export const DEFAULT_SIZES: PhaseSizes = {
  warmupMs: 3000,
  durationMs: 10_000,
  concurrency: 32,
  rushPeakRate: 300,
  rushRampMs: 20_000,
  rushHoldMs: 10_000,
  journeyRate: 4,
  journeyMs: 15_000,
  mixedRate: 400,
  mixedMs: 20_000,
  derive: true,
};

export const QUICK_SIZES: PhaseSizes = {
  warmupMs: 500,
  durationMs: 2000,
  concurrency: 8,
  rushPeakRate: 60,
  rushRampMs: 3000,
  rushHoldMs: 1000,
  journeyRate: 2,
  journeyMs: 3000,
  mixedRate: 50,
  mixedMs: 3000,
  derive: false,
};

export interface PhaseEnvironment {
  client: GraphQLClient;
  database: BenchDatabase;
  seeded: Seeded;
  sampler: MemorySampler;
  processes: () => ProcessSet;
  runId: string;
  now: number;
  sizes: PhaseSizes;
  log: (line: string) => void;
  /** The phases run so far, whose capacities set the rates of the open-loop phases. */
  results: PhaseResult[];
}

export const PHASES = [
  'dbFloor',
  'trivial',
  // Before availability, so that availabilityAtRate follows availability as a browsing minute
  // goes on, with the answers of the minute before still in the cache.
  'trivialAtRate',
  'availability',
  'availabilityAtRate',
  // After the phase at rate: its distinct windows would push the others out of the cache.
  'availabilityUncached',
  'createBooking',
  'rush',
  'journey',
  'mixed',
] as const;
export type PhaseName = (typeof PHASES)[number];

/** The API's availability_cache_answers counters from /metrics (0 when it has none). */
async function availabilityCacheAnswers(
  client: GraphQLClient,
): Promise<{ hit: number; shared: number; miss: number }> {
  const { text } = await client.get('/metrics');
  const count = (outcome: string) =>
    Number(
      new RegExp(`^availability_cache_answers\\{[^}]*result="${outcome}"[^}]*\\} (\\d+)`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  return { hit: count('hit'), shared: count('shared'), miss: count('miss') };
}

export async function runPhase(name: PhaseName, env: PhaseEnvironment): Promise<PhaseResult> {
  const { sizes } = env;
  let window: { start?: CpuSnapshot; end?: CpuSnapshot } = {};
  const snapshot = () => cpuSnapshot(env.processes());
  const recorder = new Recorder((event) => {
    if (event === 'start') window = { start: snapshot() };
    else window.end = snapshot();
  });
  const ctx = { client: env.client, seeded: env.seeded, recorder, runId: env.runId, now: env.now };
  const closed = (iteration: ReturnType<typeof scenarios.trivial>, concurrency = sizes.concurrency) =>
    closedLoop({ concurrency, warmupMs: sizes.warmupMs, durationMs: sizes.durationMs, iteration, recorder });
  const open = (startRate: number, stages: Stage[], iteration: ReturnType<typeof scenarios.trivial>) =>
    arrivalRate({
      startRate,
      stages,
      maxInFlight: 2000,
      iteration,
      recorder,
      onTick: () => env.sampler.sample(),
    });

  const capacity = (phase: string, step: string) =>
    sizes.derive ? env.results.find((p) => p.name === phase)?.steps[step]?.perSecond : undefined;
  env.log(`  ${name} …`);
  env.sampler.resetPeaks();
  const cacheBefore = await availabilityCacheAnswers(env.client);
  let result: RunResult;
  let executor: string;
  switch (name) {
    case 'dbFloor':
      // Same number of connections as the API's pool: the floor the API could reach at best.
      executor = 'closed loop, 20 connections';
      result = await closed(rawInserts(env.database, env.seeded, recorder, env.now), 20);
      break;
    case 'trivial':
      executor = `closed loop, ${sizes.concurrency} in flight`;
      result = await closed(scenarios.trivial(ctx));
      break;
    case 'availability':
      executor = `closed loop, ${sizes.concurrency} in flight`;
      result = await closed(scenarios.availability(ctx));
      break;
    case 'availabilityUncached':
      // The same query with a window of its own every time: what the API's availability cache
      // saves, measured in the same run (no target; the targets are for the phase above).
      executor = `closed loop, ${sizes.concurrency} in flight, every window distinct`;
      result = await closed(scenarios.availability(ctx, 'availabilityUncached', true));
      break;
    case 'trivialAtRate':
    case 'availabilityAtRate': {
      // The target's own terms: availability at 0.6 × the trivial query's rate, p99 under 50 ms;
      // and right before it the trivial query at that rate, the harness's and server's own tail
      // at such a load, next to which availability's p99 can be read.
      const trivialRate = capacity('trivial', 'trivial');
      const rate = Math.max(10, Math.round(0.6 * (trivialRate ?? sizes.mixedRate)));
      executor = `arrival rate ${rate}/s${trivialRate ? ` (0.6 × the trivial query's ${trivialRate}/s)` : ''} for ${sizes.durationMs / 1000} s`;
      result = await open(
        rate,
        [{ target: rate, durationMs: sizes.durationMs }],
        name === 'trivialAtRate'
          ? scenarios.trivial(ctx, 'trivialAtRate')
          : scenarios.availability(ctx, name),
      );
      break;
    }
    case 'createBooking':
      executor = `closed loop, ${sizes.concurrency} in flight`;
      result = await closed(scenarios.createBookings(ctx));
      break;
    case 'rush': {
      // Up to the capacity for whole commuters measured before: each asks for availability,
      // then books, so one commuter costs one of each (1 / (1/a + 1/b) per second). Driving the
      // availability capacity alone would offer about three times what the API can serve and
      // measure an ever-growing queue instead of the rush. Availability as computed (every
      // booking of the rush empties the API's availability cache), not as served from memory.
      const asks =
        capacity('availabilityUncached', 'availabilityUncached') ?? capacity('availability', 'availability');
      const books = capacity('createBooking', 'createBooking');
      const measured = asks && books ? 1 / (1 / asks + 1 / books) : undefined;
      const peak = measured ? Math.round(measured) : sizes.rushPeakRate;
      executor = `arrival rate 5 → ${peak}/s over ${sizes.rushRampMs / 1000} s, held ${sizes.rushHoldMs / 1000} s${measured ? ` (peak = commuters per second the API served in the availabilityUncached and createBooking phases: 1 / (1/${asks} + 1/${books}))` : ''}`;
      result = await open(
        5,
        [
          { target: peak, durationMs: sizes.rushRampMs },
          { target: peak, durationMs: sizes.rushHoldMs },
        ],
        scenarios.rush(ctx),
      );
      break;
    }
    case 'journey':
      executor = `arrival rate ${sizes.journeyRate}/s for ${sizes.journeyMs / 1000} s`;
      result = await open(
        sizes.journeyRate,
        [{ target: sizes.journeyRate, durationMs: sizes.journeyMs }],
        scenarios.journey(ctx),
      );
      break;
    case 'mixed':
      executor = `arrival rate ${sizes.mixedRate}/s for ${sizes.mixedMs / 1000} s`;
      result = await open(
        sizes.mixedRate,
        [{ target: sizes.mixedRate, durationMs: sizes.mixedMs }],
        scenarios.mixed(ctx),
      );
      break;
  }
  env.sampler.sample();
  // Answers from the API's availability cache in this phase (warm-up included): how much of
  // the phase's availability figure is the cache's, next to the computed ones.
  const cacheAfter = await availabilityCacheAnswers(env.client);
  for (const outcome of ['hit', 'shared', 'miss'] as const) {
    const answers = cacheAfter[outcome] - cacheBefore[outcome];
    if (answers > 0) result.counters[`availabilityCache:${outcome}`] = answers;
  }
  const requests = Object.values(result.steps).reduce((a, step) => a + step.requests, 0);
  const cpu = window.start && window.end ? cpuBetween(window.start, window.end) : {};
  const per = (ms: number) => (requests ? Math.round((ms / requests) * 1000) / 1000 : 0);
  return {
    name,
    executor,
    ...result,
    cpuMsPerRequest: Object.fromEntries(Object.entries(cpu).map(([name, ms]) => [name, per(ms)])),
    memoryPeakMb: env.sampler.peaksMb(),
    overlapsAfter: await countOverlaps(env.database.handle.db),
  };
}
