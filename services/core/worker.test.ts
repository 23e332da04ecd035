import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logging.ts';
import { type PeriodicTask, runPeriodically } from './worker.ts';

const logger = createLogger('silent');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds, up to two seconds (a busy CI machine may be slow to run timers). */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!done() && Date.now() < deadline) await sleep(5);
}

describe('runPeriodically', () => {
  let task: PeriodicTask | undefined;
  afterEach(async () => {
    await task?.stop();
    task = undefined;
    vi.useRealTimers();
  });

  // Fake timers: the gathering is about time, and a busy CI machine must not decide these tests.
  it('gathers a burst of wake-ups into one run after the wake delay', async () => {
    vi.useFakeTimers();
    let runs = 0;
    task = runPeriodically('test', 60_000, logger, async () => void runs++, { wakeDelayMs: 300 });
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1); // the first run at start
    for (let i = 0; i < 50; i++) task.wake();
    await vi.advanceTimersByTimeAsync(299);
    expect(runs).toBe(1); // not yet: the delay gathers
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(2); // one run for the whole burst; the next only at the interval
  });

  it('a wake-up during a run brings one more run, never two at once', async () => {
    vi.useFakeTimers();
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    task = runPeriodically(
      'test',
      60_000,
      logger,
      async () => {
        runs++;
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((resolve) => setTimeout(resolve, 100));
        concurrent--;
      },
      { wakeDelayMs: 20 },
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    for (let i = 0; i < 20; i++) task.wake(); // all during the first run
    await vi.advanceTimersByTimeAsync(100 + 19);
    expect(runs).toBe(1); // the first run is over; the one more waits for the wake delay
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(2);
    expect(maxConcurrent).toBe(1);
  });

  it('without a wake delay, a wake-up runs at once; a failing run does not stop the loop', async () => {
    let runs = 0;
    task = runPeriodically('test', 60_000, logger, async () => {
      runs++;
      if (runs === 1) throw new Error('first run fails');
    });
    await until(() => runs === 1);
    task.wake();
    await until(() => runs === 2);
    expect(runs).toBe(2);
  });
});
