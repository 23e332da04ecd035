import type { GraphQLResponse } from './http-client.ts';
import { Counters, type LatencySummary, round, Samples } from './stats.ts';

/**
 * The load driver: the two k6 executors the scenarios need, in Node. Both stop by themselves
 * (a fixed duration, then the requests in flight are awaited with a bound), so the bench
 * never hangs on a stuck server.
 */

/** Outcome of a GraphQL call: transport first, then HTTP status, then GraphQL errors, then the typed result. */
export function outcomeOf(response: GraphQLResponse, field?: string): string {
  if (response.networkError) return `network:${response.networkError}`;
  if (response.status >= 500) return `http_${response.status}`;
  if (response.status >= 400) return `http_${response.status}`;
  const error = response.body?.errors?.[0];
  if (error) return `graphql_error:${String(error.extensions?.code ?? error.message)}`;
  if (!field) return 'ok';
  const value = response.body?.data?.[field];
  if (value && typeof value === 'object' && '__typename' in value) return String(value.__typename);
  return value === null || value === undefined ? 'null' : 'ok';
}

/** A step is "failed" for the error rate when the server misbehaved, not when it answered a typed refusal. */
export function isFailure(outcome: string): boolean {
  return /^(network|http_|graphql_error|db_error)/.test(outcome);
}

export interface StepResult {
  requests: number;
  perSecond: number;
  errors: number;
  errorRate: number;
  latencyMs: LatencySummary;
  outcomes: Record<string, number>;
}

/** Latencies and outcomes per named step; only calls that start inside the measured window count. */
export class Recorder {
  private readonly steps = new Map<string, { samples: Samples; outcomes: Counters; errors: number }>();
  measuring = false;
  readonly counters = new Counters();

  /** `onWindow` runs when the measured window opens and closes (CPU accounting). */
  constructor(private readonly onWindow?: (event: 'start' | 'stop') => void) {}

  start(): void {
    this.measuring = true;
    this.onWindow?.('start');
  }

  stop(): void {
    this.onWindow?.('stop');
    this.measuring = false;
  }

  record(step: string, ms: number, outcome: string): void {
    if (!this.measuring) return;
    let entry = this.steps.get(step);
    if (!entry) {
      entry = { samples: new Samples(), outcomes: new Counters(), errors: 0 };
      this.steps.set(step, entry);
    }
    entry.samples.add(ms);
    entry.outcomes.inc(outcome);
    if (isFailure(outcome)) entry.errors++;
  }

  /** Records a GraphQL call and returns its outcome. */
  call(step: string, response: GraphQLResponse, field?: string): string {
    const outcome = outcomeOf(response, field);
    this.record(step, response.ms, outcome);
    return outcome;
  }

  results(seconds: number): Record<string, StepResult> {
    const out: Record<string, StepResult> = {};
    for (const [name, { samples, outcomes, errors }] of this.steps) {
      out[name] = {
        requests: samples.count,
        perSecond: round(samples.count / seconds, 1),
        errors,
        errorRate: round(samples.count ? errors / samples.count : 0, 4),
        latencyMs: samples.summary(),
        outcomes: outcomes.toJSON(),
      };
    }
    return out;
  }
}

export interface RunResult {
  seconds: number;
  iterations: number;
  droppedIterations: number;
  steps: Record<string, StepResult>;
  counters: Record<string, number>;
}

const DRAIN_LIMIT_MS = 30_000;

async function drain(inFlight: Set<Promise<void>>): Promise<void> {
  await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, DRAIN_LIMIT_MS))]);
}

export type Iteration = (vu: number, iteration: number) => Promise<void>;

/** `concurrency` virtual users each running iterations back to back: the maximum throughput. */
export async function closedLoop(options: {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  iteration: Iteration;
  recorder: Recorder;
}): Promise<RunResult> {
  const { recorder } = options;
  let iterations = 0;
  let stop = false;
  let measuredStart = 0;
  const worker = async (vu: number) => {
    for (let i = 0; !stop; i++) {
      await options.iteration(vu, i);
      if (recorder.measuring) iterations++;
    }
  };
  const workers = Array.from({ length: options.concurrency }, (_, vu) => worker(vu));
  await sleep(options.warmupMs);
  recorder.start();
  measuredStart = performance.now();
  await sleep(options.durationMs);
  recorder.stop();
  const seconds = (performance.now() - measuredStart) / 1000;
  stop = true;
  await drain(new Set(workers));
  return {
    seconds: round(seconds, 2),
    iterations,
    droppedIterations: 0,
    steps: recorder.results(seconds),
    counters: recorder.counters.toJSON(),
  };
}

export interface Stage {
  /** Iterations per second at the end of the stage; the rate moves linearly from the previous stage's. */
  target: number;
  durationMs: number;
}

/**
 * Open model, as k6's ramping-arrival-rate: iterations start on schedule whether or not the
 * earlier ones finished, so a slow server meets growing concurrency (as at 7:00 at the
 * station) instead of a politely waiting client. Past `maxInFlight` an iteration is dropped
 * and counted, like k6's dropped_iterations.
 */
export async function arrivalRate(options: {
  startRate: number;
  stages: Stage[];
  maxInFlight: number;
  iteration: Iteration;
  recorder: Recorder;
  /** Called about every 100 ms with the number of iterations in flight (for peak sampling). */
  onTick?: (inFlight: number) => void;
}): Promise<RunResult> {
  const { recorder } = options;
  const inFlight = new Set<Promise<void>>();
  let started = 0;
  let dropped = 0;
  let due = 0;
  const totalMs = options.stages.reduce((a, s) => a + s.durationMs, 0);
  const rateAt = (t: number) => {
    let from = options.startRate;
    let elapsed = 0;
    for (const stage of options.stages) {
      if (t <= elapsed + stage.durationMs)
        return from + ((stage.target - from) * (t - elapsed)) / stage.durationMs;
      elapsed += stage.durationMs;
      from = stage.target;
    }
    return from;
  };
  recorder.start();
  const begin = performance.now();
  let last = begin;
  let ticks = 0;
  for (;;) {
    const now = performance.now();
    const t = now - begin;
    if (t >= totalMs) break;
    // Integrate the rate over the slice since the last loop (trapezoid).
    due += ((rateAt(last - begin) + rateAt(t)) / 2) * ((now - last) / 1000);
    last = now;
    while (due >= 1) {
      due -= 1;
      if (inFlight.size >= options.maxInFlight) {
        dropped++;
        continue;
      }
      const n = started++;
      const p: Promise<void> = options
        .iteration(n % options.maxInFlight, n)
        .catch(() => undefined)
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    if (++ticks % 50 === 0) options.onTick?.(inFlight.size);
    await sleep(2);
  }
  const seconds = (performance.now() - begin) / 1000;
  // Iterations started in the window are recorded to the end: dropping the slow tail would flatter p99.
  await drain(inFlight);
  recorder.stop();
  return {
    seconds: round(seconds, 2),
    iterations: started,
    droppedIterations: dropped,
    steps: recorder.results(seconds),
    counters: recorder.counters.toJSON(),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
