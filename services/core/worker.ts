import type { Logger } from './logging.ts';

export interface PeriodicTask {
  /**
   * Run soon instead of waiting for the next tick (e.g. on a database notification): after
   * `wakeDelayMs`, so that a burst of wake-ups is one run.
   */
  wake(): void;
  /** Stops the loop and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs`, never two runs at once. A failing run is logged and
 * retried on the next tick: background work must not take the process down.
 */
export function runPeriodically(
  name: string,
  intervalMs: number,
  logger: Logger,
  task: () => Promise<unknown>,
  options: { wakeDelayMs?: number } = {},
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const wakeDelayMs = options.wakeDelayMs ?? 0;

  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    clearTimeout(wakeTimer);
    wakeTimer = undefined;
    running = task()
      .then(() => undefined)
      .catch((err: unknown) => logger.error({ err, task: name }, 'background task failed'))
      .finally(() => {
        running = undefined;
        if (stopped) return;
        if (again) {
          again = false;
          if (wakeDelayMs === 0) setImmediate(run);
          else wakeTimer = setTimeout(run, wakeDelayMs);
        } else {
          timer = setTimeout(run, intervalMs);
        }
      });
  };
  timer = setTimeout(run, 0);

  return {
    wake() {
      if (wakeDelayMs === 0) return run();
      if (stopped || wakeTimer) return;
      if (running) {
        again = true;
        return;
      }
      wakeTimer = setTimeout(run, wakeDelayMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(wakeTimer);
      await running;
    },
  };
}
