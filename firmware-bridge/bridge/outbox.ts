import type { Clock } from '../../services/core/clock.ts';
import type { DatabaseHandle } from '../../services/core/db/connect.ts';
import type { Tx } from '../../services/core/db/database.ts';
import type { Logger } from '../../services/core/logging.ts';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { type PeriodicTask, runPeriodically } from '../../services/core/worker.ts';
import { signCommand } from '../contract/signing.ts';
import { deviceTopic, isValidDeviceId, isValidTenantId } from '../contract/topics.ts';
import { commandRepository, type DueCommand } from './command.repository.ts';
import { lorawanDeviceRepository } from './lorawan-device.repository.ts';
import {
  type LorawanLockTarget,
  lorawanDownlink,
  lorawanLockTarget,
  lorawanQueueClear,
} from './lorawan-downlink.ts';
import type { BridgeMetrics } from './metrics.ts';
import type { MqttConnection } from './mqtt-connection.ts';

export interface OutboxOptions {
  /** Due commands are looked for this often (and at once on NOTIFY device_command_created). */
  pollIntervalMs: number;
  /** Commands claimed per transaction. */
  claimLimit: number;
  /** Publications in flight at once; below Mosquitto's max_inflight_messages (20). */
  maxInFlight: number;
  /** Wait before the 2nd attempt; doubles per attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A publication the broker has not acknowledged by then counts as failed (the retry follows). */
  publishTimeoutMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  pollIntervalMs: 1000,
  claimLimit: 50,
  maxInFlight: 10,
  retryBaseMs: 2000,
  retryMaxMs: 30_000,
  publishTimeoutMs: 10_000,
};

/** Delay after attempt number `attempts` (1-based): base, 2·base, 4·base, … capped. */
export function retryDelayMs(
  attempts: number,
  options: Pick<OutboxOptions, 'retryBaseMs' | 'retryMaxMs'>,
): number {
  return Math.min(options.retryBaseMs * 2 ** Math.max(0, attempts - 1), options.retryMaxMs);
}

interface Publication {
  cmdId: string;
  topic: string;
  payload: string;
  qos: 0 | 1;
  expiresAt: Date;
}

export interface OutboxDeps {
  database: DatabaseHandle;
  connection: MqttConnection;
  logger: Logger;
  metrics: BridgeMetrics;
  clock: Clock;
  instanceId: string;
  options?: Partial<OutboxOptions>;
}

/**
 * Delivers the device_command outbox. Each run claims due commands in one short transaction
 * (FOR UPDATE SKIP LOCKED, so instances never share a command), marks them sent and moves
 * next_attempt_at to the retry time, commits, and only then publishes: a crash between the
 * two is one more retry, never a lost command. Expired commands and commands to devices
 * without a secret are closed in the same transaction.
 */
export class OutboxPublisher {
  private readonly options: OutboxOptions;
  private task: PeriodicTask | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private offConnect: (() => void) | undefined;

  constructor(private readonly deps: OutboxDeps) {
    this.options = { ...DEFAULT_OUTBOX_OPTIONS, ...deps.options };
  }

  async start(): Promise<void> {
    this.task = runPeriodically('outbox', this.options.pollIntervalMs, this.deps.logger, () =>
      this.runOnce(),
    );
    this.unlisten = await this.deps.database.listen('device_command_created', () => this.task?.wake());
    this.offConnect = this.deps.connection.onConnect(() => this.task?.wake());
  }

  async stop(): Promise<void> {
    this.offConnect?.();
    await this.unlisten?.().catch(() => {});
    await this.task?.stop();
  }

  /** One pass until nothing is due; exported for tests and the CLI. */
  async runOnce(): Promise<void> {
    for (;;) {
      // Claiming while the broker is away would only burn attempts; the connect wakes us.
      if (!this.deps.connection.connected) return;
      const { publications, queueClears } = await this.claim();
      // Clears first: one of this run's publications may go to the same lock's queue.
      for (const clear of queueClears) await this.publishQueueClear(clear);
      await this.publishAll(publications);
      if (publications.length + queueClears.length < this.options.claimLimit) return;
    }
  }

  private async claim(): Promise<{ publications: Publication[]; queueClears: QueueClear[] }> {
    const { clock, instanceId } = this.deps;
    const closed: { command: DueCommand; status: 'expired' | 'failed' }[] = [];
    const queueClears: QueueClear[] = [];
    // swf_bridge: the only role that may read device.secret. Nothing but SQL inside: on PGlite
    // the transaction holds the one connection.
    const publications = await withActor(
      this.deps.database.db,
      systemActor,
      async (tx) => {
        const now = clock.now();
        const due = await commandRepository.claimDue(tx, now, this.options.claimLimit);
        const out: Publication[] = [];
        for (const c of due) {
          const verdict = deliverability(c, now);
          if (!verdict.deliverable) {
            if (await closeCommand(tx, c, verdict.status, verdict.detail, now)) {
              closed.push({ command: c, status: verdict.status });
              const clear = verdict.status === 'expired' ? queueClearFor(c) : undefined;
              if (clear) queueClears.push(clear);
            }
            continue;
          }
          const attempts = c.attempts + 1;
          const next = new Date(
            Math.min(now.getTime() + retryDelayMs(attempts, this.options), c.expiresAt.getTime()),
          );
          await commandRepository.recordAttempt(tx, c.id, attempts, next, now);
          await commandRepository.recordTransition(tx, {
            commandId: c.id,
            tenantId: c.tenantId,
            status: 'sent',
            at: now,
            detail: `attempt ${attempts} by ${instanceId}`,
          });
          out.push(
            verdict.lorawan
              ? toLorawanPublication(
                  c,
                  verdict.lorawan,
                  await lorawanDeviceRepository.downlinkSequence(tx, c),
                )
              : toPublication(c, verdict.secret),
          );
        }
        return out;
      },
      { dbRole: 'swf_bridge' },
    );
    for (const { command, status } of closed) {
      this.deps.metrics.commandsFinished.inc({ status });
      this.deps.logger.info({ cmdId: command.id, deviceId: command.deviceId, status }, 'command closed');
    }
    return { publications, queueClears };
  }

  /**
   * Best effort: a clear that does not reach the broker is not retried (the command is closed
   * already); the lock's sequence check remains, see lorawan/README.md.
   */
  private async publishQueueClear(clear: QueueClear): Promise<void> {
    try {
      await this.deps.connection.publish(clear.topic, clear.payload, { qos: clear.qos });
      this.deps.logger.info({ cmdId: clear.cmdId, topic: clear.topic }, 'LoRaWAN downlink queue cleared');
    } catch (err) {
      this.deps.logger.warn({ err, cmdId: clear.cmdId }, 'LoRaWAN downlink queue not cleared');
    }
  }

  private async publishAll(publications: Publication[]): Promise<void> {
    const queue = [...publications];
    const worker = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) await this.publish(p);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.maxInFlight, queue.length) }, worker));
  }

  private async publish(p: Publication): Promise<void> {
    const remainingSeconds = (p.expiresAt.getTime() - this.deps.clock.now().getTime()) / 1000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.deps.connection.publish(p.topic, p.payload, {
          qos: p.qos,
          messageExpirySeconds: remainingSeconds,
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('publish timed out')), this.options.publishTimeoutMs);
        }),
      ]);
      this.deps.metrics.commandsPublished.inc();
      this.deps.logger.debug({ cmdId: p.cmdId, topic: p.topic }, 'command published');
    } catch (err) {
      // The command stays open; its next_attempt_at brings it back.
      this.deps.logger.warn({ err, cmdId: p.cmdId }, 'command not published; will retry');
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Empties a network server's downlink queue after a command to a LoRaWAN lock expired. */
interface QueueClear {
  cmdId: string;
  topic: string;
  payload: string;
  qos: 0;
}

function queueClearFor(c: DueCommand): QueueClear | undefined {
  const target = lorawanLockTarget(c.lorawan);
  if (!target || typeof target === 'string') return undefined;
  const clear = lorawanQueueClear(target);
  return clear && { cmdId: c.id, ...clear };
}

type Deliverability =
  | { deliverable: true; secret: string; lorawan?: undefined }
  | { deliverable: true; secret?: undefined; lorawan: LorawanLockTarget }
  | { deliverable: false; status: 'expired' | 'failed'; detail: string };

/** Expired, or impossible to sign or address: such a command is closed instead of sent. */
function deliverability(c: DueCommand, now: Date): Deliverability {
  if (c.expiresAt.getTime() <= now.getTime()) {
    return { deliverable: false, status: 'expired', detail: `no answer after ${c.attempts} attempt(s)` };
  }
  // LoRaWAN locks are not signed by us: the network's session keys authenticate downlinks.
  const lorawan = lorawanLockTarget(c.lorawan);
  if (typeof lorawan === 'string') return { deliverable: false, status: 'failed', detail: lorawan };
  if (lorawan) return { deliverable: true, lorawan };
  if (!c.secret) {
    const detail = 'device has no secret: commands cannot be signed (provision it first)';
    return { deliverable: false, status: 'failed', detail };
  }
  if (!isValidTenantId(c.tenantId) || !isValidDeviceId(c.deviceId)) {
    return {
      deliverable: false,
      status: 'failed',
      detail: 'tenant or device id cannot be an MQTT topic level',
    };
  }
  return { deliverable: true, secret: c.secret };
}

async function closeCommand(
  tx: Tx,
  c: DueCommand,
  status: 'expired' | 'failed',
  detail: string,
  now: Date,
): Promise<boolean> {
  const changed = await commandRepository.finish(
    tx,
    { id: c.id, tenantId: c.tenantId, deviceId: c.deviceId },
    status,
    now,
  );
  if (changed) {
    await commandRepository.recordTransition(tx, {
      commandId: c.id,
      tenantId: c.tenantId,
      status,
      at: now,
      detail,
    });
  }
  return changed;
}

function toPublication(c: DueCommand, secret: string): Publication {
  const fields = {
    cmdId: c.id,
    action: c.action,
    params: c.params,
    issuedAt: c.issuedAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
  };
  const target = { tenantId: c.tenantId, deviceId: c.deviceId };
  return {
    cmdId: c.id,
    topic: deviceTopic(c.tenantId, c.deviceId, 'cmd'),
    payload: JSON.stringify({ ...fields, sig: signCommand(secret, target, fields) }),
    qos: 1,
    expiresAt: c.expiresAt,
  };
}

/** `down/push` (TTS) or `command/down` (ChirpStack) with our command id as correlation id. */
function toLorawanPublication(c: DueCommand, target: LorawanLockTarget, sequence: number): Publication {
  return { cmdId: c.id, ...lorawanDownlink(target, c, sequence), expiresAt: c.expiresAt };
}
