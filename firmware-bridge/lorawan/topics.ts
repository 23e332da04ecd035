import { isUuid, normalizeEui } from './encoding.ts';

/**
 * MQTT topics of the two LoRaWAN network servers we integrate with (default topic templates).
 *
 * The Things Stack v3 (TTS): `v3/{application id}@{tenant id}/devices/{device id}/...`;
 * the Open Source edition leaves out `@{tenant id}`.
 * ChirpStack v4: `application/{application id}/device/{devEui}/event/{event}`.
 */

/** Downlink life-cycle events TTS publishes under `.../down/{event}`. */
export type TtsDownlinkEvent = 'ack' | 'nack' | 'sent' | 'failed';
/** ChirpStack events that refer to a queued downlink. */
export type ChirpstackDownlinkEvent = 'ack' | 'txack';

export interface TtsDevice {
  applicationId: string;
  /** Absent on The Things Stack Open Source, which has no tenants. */
  tenantId?: string;
  deviceId: string;
}

export interface ChirpstackDevice {
  applicationId: string;
  /** Lowercase hex, 16 characters. */
  devEui: string;
}

export type LorawanTopic =
  | ({ network: 'tts'; kind: 'uplink' } & TtsDevice)
  | ({ network: 'tts'; kind: 'downlink-event'; event: TtsDownlinkEvent } & TtsDevice)
  | ({ network: 'chirpstack'; kind: 'uplink' } & ChirpstackDevice)
  | ({ network: 'chirpstack'; kind: 'downlink-event'; event: ChirpstackDownlinkEvent } & ChirpstackDevice);

// TTS identifier rule from api/ttn/lorawan/v3/identifiers.proto (application, device, tenant ids).
const ttsIdPattern = /^[a-z0-9](?:-?[a-z0-9]){2,}$/;

export function isTtsId(value: string): boolean {
  return value.length <= 36 && ttsIdPattern.test(value);
}

const ttsDownlinkEvents: readonly string[] = ['ack', 'nack', 'sent', 'failed'] satisfies TtsDownlinkEvent[];

/**
 * Recognises the uplink and downlink-event topics the bridge subscribes to; anything else
 * (join, status, log, location, wildcards, malformed ids) gives undefined, so the caller
 * can ignore it without guessing.
 */
export function parseLorawanTopic(topic: string): LorawanTopic | undefined {
  const levels = topic.split('/');
  if (levels[0] === 'v3') return parseTtsTopic(levels);
  if (levels[0] === 'application') return parseChirpstackTopic(levels);
  return undefined;
}

function parseTtsTopic(levels: string[]): LorawanTopic | undefined {
  const [, appLevel, devicesLevel, deviceId, ...rest] = levels;
  if (appLevel === undefined || devicesLevel !== 'devices' || deviceId === undefined) return undefined;
  const at = appLevel.indexOf('@');
  const applicationId = at === -1 ? appLevel : appLevel.slice(0, at);
  const tenantId = at === -1 ? undefined : appLevel.slice(at + 1);
  if (!isTtsId(applicationId) || !isTtsId(deviceId)) return undefined;
  if (tenantId !== undefined && !isTtsId(tenantId)) return undefined;
  const device: TtsDevice =
    tenantId === undefined ? { applicationId, deviceId } : { applicationId, tenantId, deviceId };

  if (rest.length === 1 && rest[0] === 'up') return { network: 'tts', kind: 'uplink', ...device };
  const [down, event] = rest;
  if (rest.length === 2 && down === 'down' && event !== undefined && ttsDownlinkEvents.includes(event)) {
    return { network: 'tts', kind: 'downlink-event', event: event as TtsDownlinkEvent, ...device };
  }
  return undefined;
}

function parseChirpstackTopic(levels: string[]): LorawanTopic | undefined {
  if (levels.length !== 6) return undefined;
  const [, applicationId, deviceLevel, euiLevel, eventLevel, event] = levels;
  if (applicationId === undefined || !isUuid(applicationId)) return undefined;
  if (deviceLevel !== 'device' || eventLevel !== 'event' || euiLevel === undefined) return undefined;
  const devEui = normalizeEui(euiLevel);
  if (devEui === undefined) return undefined;
  const device: ChirpstackDevice = { applicationId: applicationId.toLowerCase(), devEui };

  if (event === 'up') return { network: 'chirpstack', kind: 'uplink', ...device };
  if (event === 'ack' || event === 'txack') {
    return { network: 'chirpstack', kind: 'downlink-event', event, ...device };
  }
  return undefined;
}

function ttsDeviceTopic(device: TtsDevice, suffix: string): string {
  const app =
    device.tenantId === undefined ? device.applicationId : `${device.applicationId}@${device.tenantId}`;
  return `v3/${app}/devices/${device.deviceId}/${suffix}`;
}

/** `v3/{app}[@{tenant}]/devices/{device}/down/push`: enqueue downlinks behind existing ones. */
export function ttsDownPushTopic(device: TtsDevice): string {
  return ttsDeviceTopic(device, 'down/push');
}

/** `v3/{app}[@{tenant}]/devices/{device}/down/replace`: the whole queue; an empty list clears it. */
export function ttsDownReplaceTopic(device: TtsDevice): string {
  return ttsDeviceTopic(device, 'down/replace');
}

/** `application/{app}/device/{devEui}/command/down`: ChirpStack's enqueue command. */
export function chirpstackCommandDownTopic(device: ChirpstackDevice): string {
  return `application/${device.applicationId}/device/${device.devEui}/command/down`;
}
