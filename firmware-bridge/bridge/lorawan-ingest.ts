import type { Clock } from '../../services/core/clock.ts';
import type { DatabaseHandle } from '../../services/core/db/connect.ts';
import type { Logger } from '../../services/core/logging.ts';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import type { EventPayload, TelemetryPayload } from '../contract/payloads.ts';
import { type CorrelationError, correlationOf, type DownlinkCorrelation } from '../lorawan/correlation.ts';
import type { LorawanUplink } from '../lorawan/envelope.ts';
import type { ParkingSensorEvent } from '../lorawan/parking-event.ts';
import { decodeParkingPayload } from '../lorawan/parking-payload.ts';
import { parseLorawanTopic } from '../lorawan/topics.ts';
import { parseUplinkMessage } from '../lorawan/uplink.ts';
import { type DeadLetterReason, deadLetter, type Inbound } from './classify.ts';
import { commandRepository } from './command.repository.ts';
import type { Ingest } from './ingest.ts';
import { type LorawanDevice, lorawanDeviceRepository } from './lorawan-device.repository.ts';
import type { BridgeMetrics } from './metrics.ts';

/**
 * Network-server envelopes are larger than our device payloads (every gateway that heard the
 * frame is listed); a TTS uplink heard by ~40 gateways stays below this.
 */
export const LORAWAN_MAX_ENVELOPE_BYTES = 32 * 1024;

/** How long a DevEUI → device lookup is reused (also "unknown"): bursts cost one query. */
export const LORAWAN_DEVICE_CACHE_MS = 5_000;

/**
 * Topic filters for The Things Stack v3 and ChirpStack v4 MQTT integrations. TTS's own MQTT
 * server delivers QoS 0 only; ChirpStack's broker may deliver QoS 1.
 */
export function lorawanFilters(shareGroup: string | undefined): { qos0: string[]; qos1: string[] } {
  const share = (f: string) => (shareGroup ? `$share/${shareGroup}/${f}` : f);
  return {
    qos0: ['v3/+/devices/+/up', 'v3/+/devices/+/down/#'].map(share),
    qos1: ['application/+/device/+/event/+'].map(share),
  };
}

export function isLorawanTopic(topic: string): boolean {
  return topic.startsWith('v3/') || topic.startsWith('application/');
}

export interface LorawanIngestDeps {
  database: DatabaseHandle;
  ingest: Ingest;
  logger: Logger;
  metrics: BridgeMetrics;
  clock: Clock;
}

/**
 * LoRaWAN uplinks become the same messages as MQTT telemetry/events (and go through the same
 * batched writer); downlink events settle our commands by correlation id. Nothing here throws
 * at the broker: what cannot be used is dead-lettered with its reason.
 */
export class LorawanIngest {
  private readonly cache = new Map<string, { device: LorawanDevice | undefined; until: number }>();

  constructor(private readonly deps: LorawanIngestDeps) {}

  async handle(topic: string, raw: Buffer): Promise<void> {
    const parsed = parseLorawanTopic(topic);
    // Our own down/push echo, joins, status, logs, txack of other apps: not for us.
    if (parsed === undefined) return;
    this.deps.metrics.messagesIn.inc({ kind: `lorawan_${parsed.kind}` });
    if (raw.length > LORAWAN_MAX_ENVELOPE_BYTES) {
      return this.dead(topic, raw, 'oversized', `${raw.length} bytes > ${LORAWAN_MAX_ENVELOPE_BYTES}`);
    }
    try {
      if (parsed.kind === 'uplink') await this.uplink(topic, raw);
      else await this.downlinkEvent(topic, raw);
    } catch (err) {
      this.deps.logger.error({ err, topic }, 'LoRaWAN message not handled');
      await this.dead(topic, raw, 'storage_error', String(err).slice(0, 200));
    }
  }

  private async uplink(topic: string, raw: Buffer): Promise<void> {
    const now = this.deps.clock.now();
    const uplink = parseUplinkMessage(topic, raw, { receivedAtFallback: now });
    if (!uplink.ok) {
      const reason = uplink.error.reason === 'malformed_json' ? 'malformed_json' : 'schema_mismatch';
      return this.dead(topic, raw, reason, `lorawan ${uplink.error.reason}: ${uplink.error.message}`);
    }
    const device = await this.deviceOf(uplink.value.devEui);
    if (device === undefined) return this.dead(topic, raw, 'unknown_device', `DevEUI ${uplink.value.devEui}`);
    const key = { tenantId: device.tenantId, deviceId: device.deviceId };
    if (device.profile !== 'bosch-pls' && device.profile !== 'nwave-nps') {
      // A lock's uplinks (class A: they open its receive windows) only say it is alive.
      return this.deps.ingest.enqueue(topic, raw, {
        type: 'message',
        message: { kind: 'status', payload: 'online', ...key },
      });
    }
    const event = decodeParkingPayload(device.profile, uplink.value.fPort, uplink.value.payload);
    if (!event.ok) {
      return this.dead(
        topic,
        raw,
        'undecodable_payload',
        `${device.profile} ${event.error.reason}: ${event.error.message}`,
      );
    }
    for (const message of toMessages(key, uplink.value, event.value)) {
      await this.deps.ingest.enqueue(topic, raw, { type: 'message', message });
    }
  }

  private async downlinkEvent(topic: string, raw: Buffer): Promise<void> {
    const correlation = correlationOf({ topic, payload: raw });
    if (!correlation.ok) return this.uncorrelated(topic, raw, correlation.error);
    const c = correlation.value;
    if (c.outcome === 'sent') return;
    const status = c.outcome === 'acked' ? 'acked' : 'failed';
    const now = this.deps.clock.now();
    const result = await withActor(this.deps.database.db, systemActor, async (tx) => {
      const target = await lorawanDeviceRepository.commandTarget(tx, c.commandId);
      if (target === undefined || !sameDevice(target, c)) return 'foreign' as const;
      const changed = await commandRepository.finish(tx, { id: c.commandId, ...target }, status, now);
      if (changed) {
        const detail = `lorawan ${c.network} ${c.outcome}${c.error ? `: ${c.error}` : ''}`;
        await commandRepository.recordTransition(tx, {
          commandId: c.commandId,
          tenantId: target.tenantId,
          status,
          at: now,
          detail,
        });
      }
      return changed ? ('applied' as const) : ('stale' as const);
    });
    if (result === 'applied') this.deps.metrics.commandsFinished.inc({ status });
    if (result === 'foreign')
      return this.dead(topic, raw, 'unknown_device', `no command ${c.commandId} for this device`);
  }

  private uncorrelated(topic: string, raw: Buffer, error: CorrelationError): Promise<void> {
    // Downlinks others queued (the network server's console, another integration) carry no id of ours.
    if (error.reason === 'no_command_id') {
      this.deps.logger.debug({ topic }, 'downlink event without our correlation id');
      return Promise.resolve();
    }
    const reason = error.reason === 'malformed_json' ? 'malformed_json' : 'schema_mismatch';
    return this.dead(topic, raw, reason, `lorawan ${error.reason}: ${error.message}`);
  }

  private async deviceOf(devEui: string): Promise<LorawanDevice | undefined> {
    const now = Date.now();
    const hit = this.cache.get(devEui);
    if (hit && hit.until > now) return hit.device;
    const device = await withActor(this.deps.database.db, systemActor, (tx) =>
      lorawanDeviceRepository.findByDevEui(tx, devEui),
    );
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(devEui, { device, until: now + LORAWAN_DEVICE_CACHE_MS });
    return device;
  }

  private dead(topic: string, raw: Buffer, reason: DeadLetterReason, detail: string): Promise<void> {
    return this.deps.ingest.enqueue(topic, raw, deadLetter(topic, raw, reason, detail));
  }
}

function sameDevice(
  target: { devEui: string | null; network: string | null; ttsDeviceId: string | null },
  c: DownlinkCorrelation,
): boolean {
  if (c.topic.network === 'chirpstack') return target.devEui === c.topic.devEui;
  return target.network === 'tts' && target.ttsDeviceId === c.topic.deviceId;
}

/** The decoded sensor event as our own telemetry (and a start-up event), as an MQTT sensor sends it. */
export function toMessages(
  key: { tenantId: string; deviceId: string },
  uplink: LorawanUplink,
  event: ParkingSensorEvent,
): Inbound[] {
  const at = uplink.receivedAt.toISOString();
  const radio = {
    source: `lorawan-${uplink.network}`,
    devEui: uplink.devEui,
    fPort: uplink.fPort,
    fCnt: uplink.fCnt,
    ...(uplink.rssi !== undefined && { rssi: uplink.rssi }),
    ...(uplink.snr !== undefined && { snr: uplink.snr }),
  };
  const { kind, ...rest } = event;
  // Our `battery` is a percentage; the sensors report millivolts and their vendor's verdict,
  // which are kept as they are rather than turned into an invented percentage.
  const { battery, ...details } = 'battery' in rest ? rest : { ...rest, battery: undefined };
  const telemetry: TelemetryPayload = {
    ...details,
    ...radio,
    ...(battery && { batteryVoltageMv: battery.voltageMv, batteryHealth: battery.health }),
    report: kind,
    occupied: event.occupied,
    at,
  };
  const messages: Inbound[] = [{ kind: 'telemetry', payload: telemetry, ...key }];
  if (kind === 'startup') {
    const startup: EventPayload = { ...details, ...radio, type: 'startup', at };
    messages.push({ kind: 'event', payload: startup, ...key });
  }
  return messages;
}
