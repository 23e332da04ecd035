import mqtt, { type MqttClient } from 'mqtt';
import { type Clock, systemClock } from '../../services/core/clock.ts';
import type { Logger } from '../../services/core/logging.ts';
import {
  type AckPayload,
  type CommandPayload,
  commandPayloadSchema,
  type EventType,
  type LockState,
} from '../contract/payloads.ts';
import { checkFreshness, verifyCommand } from '../contract/signing.ts';
import { deviceTopic } from '../contract/topics.ts';
import { disableNagle } from '../mqtt-nodelay.ts';

export const DEVICE_FAULTS = ['no_answer', 'jammed', 'slow', 'low_battery'] as const;
export type DeviceFault = (typeof DEVICE_FAULTS)[number];

/** At most this many command ids are remembered (beyond their expiry they are dropped anyway). */
const MAX_REMEMBERED_COMMANDS = 10_000;
const LOW_BATTERY_PERCENT = 8;

export interface SimulatedDeviceOptions {
  url: string;
  tenantId: string;
  deviceId: string;
  secret: string;
  /** MQTT password; the username and client id are the device id (Mosquitto ACL). */
  password?: string | undefined;
  protocolVersion?: 4 | 5;
  /** The door closes this long after an unlock (then occupancy telemetry follows). */
  doorCloseDelayMs?: number;
  /** With fault `slow`, the ack comes this late. */
  slowAckMs?: number;
  clock?: Clock;
  logger?: Logger;
}

interface Remembered {
  expiresAt: number;
  answer: Promise<AckPayload | null>;
}

/**
 * Plays one lock with its occupancy sensor over real MQTT, as firmware would: verifies the
 * signature and freshness of each command, executes a command id at most once (a repeat gets
 * the first answer again), acks, then reports door events and occupancy.
 */
export class SimulatedDevice {
  readonly tenantId: string;
  readonly deviceId: string;
  state: LockState = 'locked';
  doorOpen = false;
  occupied = false;
  battery = 87;
  /** cmdId → how often it was executed (the tests' proof of "at most once"). */
  readonly executions = new Map<string, number>();
  /** Every command id received, repeats included, in order. */
  readonly received: string[] = [];
  private readonly faults = new Set<DeviceFault>();
  private readonly remembered = new Map<string, Remembered>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private client: MqttClient | undefined;
  private readonly clock: Clock;

  constructor(private readonly options: SimulatedDeviceOptions) {
    this.tenantId = options.tenantId;
    this.deviceId = options.deviceId;
    this.clock = options.clock ?? systemClock;
  }

  private topic(kind: 'cmd' | 'ack' | 'event' | 'telemetry' | 'status'): string {
    return deviceTopic(this.tenantId, this.deviceId, kind);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async start(): Promise<void> {
    const client = await mqtt.connectAsync(this.options.url, {
      clientId: this.deviceId,
      username: this.deviceId,
      password: this.options.password,
      protocolVersion: this.options.protocolVersion ?? 4,
      clean: true,
      reconnectPeriod: 500,
      will: { topic: this.topic('status'), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = disableNagle(client);
    client.on('message', (_topic, payload) => void this.onCommand(payload));
    client.on('connect', () => void this.announce());
    client.on('error', (err) =>
      this.options.logger?.debug({ err: err.message, deviceId: this.deviceId }, 'device mqtt error'),
    );
    await client.subscribeAsync(this.topic('cmd'), { qos: 1 });
    await this.announce();
    await this.sendTelemetry(); // battery and occupancy are known from the first minute
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.connected)
      await client.publishAsync(this.topic('status'), 'offline', { qos: 1, retain: true }).catch(() => {});
    await client.endAsync();
  }

  setFault(fault: DeviceFault, on = true): void {
    if (on) this.faults.add(fault);
    else this.faults.delete(fault);
    if (fault === 'low_battery') {
      this.battery = on ? LOW_BATTERY_PERCENT : 87;
      void this.sendTelemetry();
    }
  }

  hasFault(fault: DeviceFault): boolean {
    return this.faults.has(fault);
  }

  /** Publishes any message on one of this device's topics (tests: malformed input, ACL). */
  async publishRaw(topic: string, payload: string | Buffer, qos: 0 | 1 = 1): Promise<void> {
    await this.requireClient().publishAsync(topic, payload, { qos });
  }

  async sendEvent(type: EventType, extra: Record<string, unknown> = {}): Promise<void> {
    await this.publishJson(this.topic('event'), { type, at: this.now(), ...extra });
  }

  async sendTelemetry(): Promise<void> {
    if (!this.client?.connected) return;
    await this.publishJson(this.topic('telemetry'), {
      occupied: this.occupied,
      battery: this.battery,
      at: this.now(),
    });
  }

  private async announce(): Promise<void> {
    await this.client?.publishAsync(this.topic('status'), 'online', { qos: 1, retain: true }).catch(() => {});
  }

  private async onCommand(raw: Buffer): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return; // nothing to answer: without a cmdId the bridge could not match an ack
    }
    const parsed = commandPayloadSchema.safeParse(json);
    if (!parsed.success) {
      const cmdId = (json as { cmdId?: unknown } | null)?.cmdId;
      if (typeof cmdId === 'string' && /^[0-9a-f-]{36}$/i.test(cmdId)) {
        await this.publishAck({
          cmdId,
          result: 'rejected',
          state: this.state,
          at: this.now(),
          reason: 'malformed',
        });
      }
      return;
    }
    const cmd = parsed.data;
    this.received.push(cmd.cmdId);
    // Bookkeeping for tests and the CLI; bounded, since npm start runs for days.
    if (this.received.length > MAX_REMEMBERED_COMMANDS) this.received.splice(0, this.received.length / 2);
    this.forgetExpired();

    const previous = this.remembered.get(cmd.cmdId);
    if (previous) {
      // A repeat (bridge retry or replay): answer as the first time, never execute again.
      const first = await previous.answer;
      if (first) await this.publishAck({ ...first, at: this.now() });
      return;
    }
    if (this.faults.has('no_answer')) return;

    const target = { tenantId: this.tenantId, deviceId: this.deviceId };
    if (!verifyCommand(this.options.secret, target, cmd)) {
      // Not remembered: a forged message must not decide how the genuine command is answered.
      await this.publishAck(this.ack(cmd, 'rejected', 'bad_signature'));
      return;
    }
    const fresh = checkFreshness(cmd, this.clock.now());
    if (!fresh.ok) {
      await this.publishAck(this.ack(cmd, 'rejected', fresh.reason));
      return;
    }
    const answer = this.execute(cmd);
    if (this.remembered.size >= MAX_REMEMBERED_COMMANDS)
      this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(cmd.cmdId, { expiresAt: Date.parse(cmd.expiresAt), answer });
    const ack = await answer;
    if (ack) await this.publishAck(ack);
    if (ack?.result === 'ok' && cmd.action !== 'lock') this.playDoorCycle();
  }

  private async execute(cmd: CommandPayload): Promise<AckPayload | null> {
    if (this.faults.has('slow')) await this.sleep(this.options.slowAckMs ?? 3000);
    this.executions.set(cmd.cmdId, (this.executions.get(cmd.cmdId) ?? 0) + 1);
    if (this.executions.size > MAX_REMEMBERED_COMMANDS)
      this.executions.delete(this.executions.keys().next().value!);
    if (this.faults.has('jammed')) {
      this.state = 'jammed';
      await this.sendEvent('jammed').catch(() => {});
      return this.ack(cmd, 'failed', 'jammed');
    }
    this.state = cmd.action === 'lock' ? 'locked' : 'unlocked';
    return this.ack(cmd, 'ok');
  }

  /** After an unlock: the door opens, closes after a while, the lock relocks, occupancy flips. */
  private playDoorCycle(): void {
    this.doorOpen = true;
    void this.sendEvent('door_opened').catch(() => {});
    this.later(this.options.doorCloseDelayMs ?? 5000, async () => {
      this.doorOpen = false;
      this.state = 'locked';
      this.occupied = !this.occupied;
      await this.sendEvent('door_closed');
      await this.sendTelemetry();
    });
  }

  private ack(cmd: CommandPayload, result: AckPayload['result'], reason?: string): AckPayload {
    return { cmdId: cmd.cmdId, result, state: this.state, at: this.now(), ...(reason && { reason }) };
  }

  private async publishAck(ack: AckPayload): Promise<void> {
    await this.publishJson(this.topic('ack'), ack).catch((err: unknown) =>
      this.options.logger?.warn({ err, deviceId: this.deviceId }, 'ack not published'),
    );
  }

  private async publishJson(topic: string, body: unknown): Promise<void> {
    await this.requireClient().publishAsync(topic, JSON.stringify(body), { qos: 1 });
  }

  private forgetExpired(): void {
    const now = this.clock.now().getTime();
    for (const [id, r] of this.remembered) if (r.expiresAt < now) this.remembered.delete(id);
  }

  private later(ms: number, work: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.client?.connected) void work().catch(() => {});
    }, ms);
    this.timers.add(timer);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new Error(`device ${this.deviceId} is not started`);
    return this.client;
  }
}
