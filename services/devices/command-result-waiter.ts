import { z } from 'zod';
import type { DatabaseHandle } from '../core/db/connect.ts';
import type { Logger } from '../core/logging.ts';
import { FINAL_COMMAND_STATUSES, type LockCommandStatus } from './lock-command.ts';

const commandChanged = z.object({ id: z.string(), status: z.string(), deviceState: z.string().nullish() });

/**
 * Lets a mutation wait for its lock's answer. The bridge announces every command transition
 * with pg_notify('device_command_changed'); one LISTEN per API process resolves the waiters,
 * whichever bridge instance delivered the command.
 */
export class CommandResultWaiter {
  private readonly waiters = new Map<string, Set<(status: LockCommandStatus) => void>>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly logger: Logger) {}

  async start(handle: DatabaseHandle): Promise<void> {
    this.unlisten = await handle.listen('device_command_changed', (payload) => this.receive(payload));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  /**
   * Resolves with the final status, or with null after `timeoutMs`. `currentStatus` is read
   * after the waiter is registered, so an answer that came before we listened is not missed.
   */
  async waitForFinal(
    commandId: string,
    timeoutMs: number,
    currentStatus: () => Promise<LockCommandStatus | undefined>,
  ): Promise<LockCommandStatus | null> {
    let resolveWait!: (status: LockCommandStatus | null) => void;
    const done = new Promise<LockCommandStatus | null>((resolve) => {
      resolveWait = resolve;
    });
    const onChange = (status: LockCommandStatus) => {
      if (FINAL_COMMAND_STATUSES.includes(status)) resolveWait(status);
    };
    const set = this.waiters.get(commandId) ?? new Set();
    set.add(onChange);
    this.waiters.set(commandId, set);
    const timer = setTimeout(() => resolveWait(null), timeoutMs);
    try {
      const now = await currentStatus();
      if (now) onChange(now);
      return await done;
    } finally {
      clearTimeout(timer);
      set.delete(onChange);
      if (set.size === 0) this.waiters.delete(commandId);
    }
  }

  private receive(payload: string): void {
    let change: z.infer<typeof commandChanged>;
    try {
      change = commandChanged.parse(JSON.parse(payload));
    } catch (err) {
      this.logger.warn({ err, payload }, 'ignoring malformed device_command_changed notification');
      return;
    }
    for (const waiter of this.waiters.get(change.id) ?? []) waiter(change.status as LockCommandStatus);
  }
}
