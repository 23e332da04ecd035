import type { Clock } from '../../services/core/clock.ts';
import type { DatabaseHandle } from '../../services/core/db/connect.ts';
import type { Tx } from '../../services/core/db/database.ts';
import type { Logger } from '../../services/core/logging.ts';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { parseTopic } from '../contract/topics.ts';
import { applyAck } from './acks.ts';
import { type Classified, classify, type DeadLetter, deadLetter, type Inbound } from './classify.ts';
import {
  type DeviceStatePatch,
  type EventRow,
  ingestRepository,
  keyOf,
  type ReadingRow,
} from './ingest.repository.ts';
import type { BridgeMetrics } from './metrics.ts';

export interface IngestOptions {
  /** A buffered message waits at most this long before it is written. */
  flushIntervalMs: number;
  /** Messages per INSERT; a full buffer is written at once. */
  maxBatch: number;
  /**
   * While a batch is being written, up to this many messages may wait; beyond it the caller
   * (the MQTT reader) waits for the write, so the broker holds back instead of memory growing.
   */
  highWater: number;
  /** While the database is away, keep at most this many messages; beyond that the oldest go. */
  maxBuffered: number;
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = {
  flushIntervalMs: 20,
  maxBatch: 1000,
  highWater: 3000,
  maxBuffered: 20_000,
};

/** Retries for an ack whose write failed; after them the outbox's retry brings the ack again. */
const ACK_RETRY_DELAYS_MS = [100, 400, 1600];

type Buffered = {
  topic: string;
  raw: Buffer;
  item: Exclude<Classified, { type: 'ignore' }>;
  receivedAt: Date;
};

export interface IngestDeps {
  database: DatabaseHandle;
  logger: Logger;
  metrics: BridgeMetrics;
  clock: Clock;
  options?: Partial<IngestOptions>;
}

/**
 * Stores what devices send. Acks are written at once (the API is waiting for them, and the
 * PUBACK goes out only after the commit); events, telemetry, status and dead letters are
 * buffered and written in batches: one transaction, one INSERT per table, one UPDATE for all
 * device states. A message that breaks its batch is written alone, or dead-lettered.
 */
export class Ingest {
  private readonly options: IngestOptions;
  private buffer: Buffered[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The write loop while it runs: one batch after the other until the buffer is empty. */
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly deps: IngestDeps) {
    this.options = { ...DEFAULT_INGEST_OPTIONS, ...deps.options };
  }

  /** For MqttConnection: resolves when the message may be acknowledged to the broker. Never rejects. */
  async handle(topic: string, raw: Buffer): Promise<void> {
    const parsed = parseTopic(topic);
    this.deps.metrics.messagesIn.inc({ kind: parsed.type === 'device' ? parsed.topic.kind : parsed.type });
    const item = classify(topic, raw);
    if (item.type === 'ignore') return;
    if (item.type === 'message' && item.message.kind === 'ack') {
      await this.handleAck(topic, raw, item.message);
      return;
    }
    await this.enqueue(topic, raw, item);
  }

  /**
   * Buffers a message that is already classified, for writers of other formats (LoRaWAN
   * uplinks are decoded in lorawan-ingest.ts and stored exactly like MQTT telemetry/events).
   */
  async enqueue(topic: string, raw: Buffer, item: Exclude<Classified, { type: 'ignore' }>): Promise<void> {
    this.buffer.push({ topic, raw, item, receivedAt: this.deps.clock.now() });
    this.dropOverflow();
    if (this.buffer.length < this.options.maxBatch) {
      this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
      return;
    }
    // A full batch is written at once while the reader goes on filling the next one. Only
    // when writing falls behind by more than highWater does the reader wait: MQTT.js reads
    // the next message after this promise, so a burst slows the broker's delivery instead of
    // growing memory. A loop that is not running (the database is away) is not waited for.
    const writing = this.flush();
    if (this.buffer.length >= this.options.highWater && this.writing) await writing;
  }

  /** Writes everything buffered so far (also used on shutdown); joins a write loop that runs. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.writing) {
      this.writing = this.writeAll().finally(() => {
        this.writing = undefined;
        // Messages that came while the loop was finishing wait for the next tick at most.
        if (this.buffer.length > 0 && !this.closed) {
          this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
        }
      });
    }
    return this.writing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
    await this.flush();
    if (this.buffer.length > 0) {
      this.deps.logger.error({ lost: this.buffer.length }, 'ingest closed with unwritten messages');
    }
  }

  get buffered(): number {
    return this.buffer.length;
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.options.maxBatch);
      try {
        await this.writeBatch(batch);
      } catch (err) {
        const failed = await this.writeOneByOne(batch, err);
        if (failed.length > 0) {
          this.buffer.unshift(...failed);
          this.deps.logger.error(
            { err, waiting: this.buffer.length },
            'database unavailable; ingest will retry',
          );
          if (!this.closed) this.timer ??= setTimeout(() => void this.flush(), 1000);
          return;
        }
      }
    }
  }

  /** Returns the messages that could not be written at all (the database is away). */
  private async writeOneByOne(batch: Buffered[], batchError: unknown): Promise<Buffered[]> {
    this.deps.logger.warn(
      { err: batchError, size: batch.length },
      'batch failed; writing messages one by one',
    );
    for (let i = 0; i < batch.length; i++) {
      const entry = batch[i]!;
      try {
        await this.writeBatch([entry]);
      } catch (err) {
        const dead = deadLetter(entry.topic, entry.raw, 'storage_error', String(err).slice(0, 200));
        try {
          await this.writeBatch([{ ...entry, item: dead }]);
        } catch {
          return batch.slice(i);
        }
      }
    }
    return [];
  }

  private async writeBatch(batch: Buffered[]): Promise<void> {
    const now = this.deps.clock.now();
    const dead: DeadLetter[] = [];
    const written = await withActor(this.deps.database.db, systemActor, async (tx) => {
      const messages: { message: Exclude<Inbound, { kind: 'ack' }>; topic: string; raw: Buffer; at: Date }[] =
        [];
      for (const b of batch) {
        if (b.item.type === 'dead') dead.push(b.item.dead);
        else if (b.item.message.kind !== 'ack') {
          messages.push({ message: b.item.message, topic: b.topic, raw: b.raw, at: b.receivedAt });
        }
      }
      const known = await ingestRepository.knownDevices(tx, uniqueKeys(messages.map((m) => m.message)));
      const accepted = messages.filter((m) => {
        if (known.has(keyOf(m.message))) return true;
        dead.push(
          deadLetter(m.topic, m.raw, 'unknown_device', `${m.message.tenantId}/${m.message.deviceId}`).dead,
        );
        return false;
      });
      await writeMessages(tx, accepted, now);
      await ingestRepository.insertDeadLetters(
        tx,
        dead.map((d) => ({ topic: d.topic, payload: d.payload, reason: `${d.reason}: ${d.detail}` })),
      );
      return accepted.length;
    });
    for (const d of dead) this.deps.metrics.deadLetters.inc({ reason: d.reason });
    if (dead.length > 0) this.deps.logger.warn({ deadLetters: dead.length, written }, 'dead letters stored');
  }

  private async handleAck(topic: string, raw: Buffer, ack: Extract<Inbound, { kind: 'ack' }>): Promise<void> {
    const device = { tenantId: ack.tenantId, deviceId: ack.deviceId };
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await withActor(this.deps.database.db, systemActor, (tx) =>
          applyAck(tx, device, ack.payload, this.deps.clock.now()),
        );
        if (outcome.type === 'applied') this.deps.metrics.commandsFinished.inc({ status: outcome.status });
        if (outcome.type === 'stale')
          this.deps.logger.debug({ cmdId: ack.payload.cmdId }, 'stale ack ignored');
        if (outcome.type === 'unknown_device') {
          this.buffer.push({
            topic,
            raw,
            item: deadLetter(topic, raw, 'unknown_device', `${device.tenantId}/${device.deviceId}`),
            receivedAt: this.deps.clock.now(),
          });
          this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
        }
        return;
      } catch (err) {
        const delay = ACK_RETRY_DELAYS_MS[attempt];
        if (delay === undefined || this.closed) {
          this.deps.logger.error(
            { err, cmdId: ack.payload.cmdId },
            'ack not stored; the retried command will bring it again',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private dropOverflow(): void {
    const excess = this.buffer.length - this.options.maxBuffered;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.deps.logger.error({ dropped: excess }, 'ingest buffer full; oldest messages dropped');
    }
  }
}

function uniqueKeys<T extends { tenantId: string; deviceId: string }>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(keyOf(item), item);
  return [...seen.values()];
}

async function writeMessages(
  tx: Tx,
  messages: { message: Exclude<Inbound, { kind: 'ack' }>; at: Date }[],
  now: Date,
): Promise<void> {
  const events: EventRow[] = [];
  const readings: ReadingRow[] = [];
  const patches = new Map<string, DeviceStatePatch>();
  for (const { message: m, at: receivedAt } of messages) {
    const key = keyOf(m);
    const patch = patches.get(key) ?? {
      tenantId: m.tenantId,
      deviceId: m.deviceId,
      online: null,
      seenAt: null,
      doorOpen: null,
      occupied: null,
      batteryPercent: null,
      lockState: null,
    };
    patches.set(key, patch);
    if (m.kind === 'status') {
      patch.online = m.payload === 'online';
      if (patch.online) patch.seenAt = receivedAt;
      continue;
    }
    patch.seenAt = receivedAt;
    if (m.kind === 'event') {
      events.push({
        tenantId: m.tenantId,
        deviceId: m.deviceId,
        type: m.payload.type,
        at: m.payload.at,
        payload: m.payload,
      });
      if (m.payload.type === 'door_opened') patch.doorOpen = true;
      if (m.payload.type === 'door_closed') patch.doorOpen = false;
      if (m.payload.type === 'jammed') patch.lockState = 'jammed';
    } else {
      const t = m.payload;
      readings.push({
        tenantId: m.tenantId,
        deviceId: m.deviceId,
        at: t.at,
        occupied: t.occupied ?? null,
        batteryPercent: t.battery ?? null,
        lat: t.lat ?? null,
        lon: t.lon ?? null,
        payload: t,
      });
      if (t.occupied !== undefined) patch.occupied = t.occupied;
      if (t.battery !== undefined) patch.batteryPercent = t.battery;
    }
  }
  await ingestRepository.insertEvents(tx, events);
  await ingestRepository.insertReadings(tx, readings);
  await ingestRepository.applyDeviceStates(tx, [...patches.values()], now);
}
