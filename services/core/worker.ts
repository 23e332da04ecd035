import type { Logger } from './logging.ts';

export interface PeriodicTask {
  /** Run now instead of waiting for the next tick (e.g. on a database notification). */
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
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = task()
      .then(() => undefined)
      .catch((err: unknown) => logger.error({ err, task: name }, 'background task failed'))
      .finally(() => {
        running = undefined;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(run);
        } else {
          timer = setTimeout(run, intervalMs);
        }
      });
  };
  timer = setTimeout(run, 0);

  return {
    wake: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
