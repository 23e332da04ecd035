import { z } from 'zod';
import { isUuid, normalizeEui } from './encoding.ts';
import {
  type ChirpstackDevice,
  chirpstackCommandDownTopic,
  isTtsId,
  type TtsDevice,
  ttsDownPushTopic,
  ttsDownReplaceTopic,
} from './topics.ts';
import { ttsCorrelationId } from './tts-correlation.ts';

/**
 * Downlink publications for the two network servers. The command id travels with the
 * downlink so that the ack/nack events name it again (see correlation.ts):
 * TTS echoes our `correlation_ids`; ChirpStack uses our `id` as the queue item id and
 * reports it as `queueItemId`.
 */

export interface MqttPublication {
  topic: string;
  /** JSON text, ready for `client.publish(topic, payload)`. */
  payload: string;
}

export type TtsPriority = 'LOWEST' | 'LOW' | 'BELOW_NORMAL' | 'NORMAL' | 'ABOVE_NORMAL' | 'HIGH' | 'HIGHEST';

export interface DownlinkRequest {
  /** Our command id (UUID). ChirpStack requires a UUID for the queue item id. */
  commandId: string;
  /** 1–223: LoRaWAN application ports (0 is MAC, 224 the test port, above reserved). */
  fPort: number;
  payload: Uint8Array;
  /** Ask the device for a LoRaWAN acknowledgement. Default true: locks must confirm. */
  confirmed?: boolean;
}

/** Arguments come from our own services; a bad one is a bug, so it throws rather than returns. */
export class DownlinkEncodeError extends Error {
  override name = 'DownlinkEncodeError';
}

const requestSchema = z.object({
  commandId: z.string().refine(isUuid, 'commandId must be a UUID'),
  fPort: z.number().int().min(1).max(223),
  payload: z.instanceof(Uint8Array),
  confirmed: z.boolean().optional(),
});

const ttsDeviceSchema = z.object({
  applicationId: z.string().refine(isTtsId, 'not a TTS application id'),
  tenantId: z.string().refine(isTtsId, 'not a TTS tenant id').optional(),
  deviceId: z.string().refine(isTtsId, 'not a TTS device id'),
});

const chirpstackDeviceSchema = z.object({
  applicationId: z.string().refine(isUuid, 'ChirpStack application ids are UUIDs'),
  devEui: z.string().refine((v) => normalizeEui(v) !== undefined, 'devEui must be 16 hex digits'),
});

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DownlinkEncodeError(`Invalid ${what}: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

/** `v3/{app}@{tenant}/devices/{id}/down/push` with one downlink. */
export function encodeTtsDownlink(
  device: TtsDevice,
  request: DownlinkRequest & { priority?: TtsPriority },
): MqttPublication {
  const target = check(ttsDeviceSchema, device, 'TTS device');
  const req = check(requestSchema, request, 'downlink request');
  const downlink = {
    f_port: req.fPort,
    frm_payload: Buffer.from(req.payload).toString('base64'),
    // Someone is usually standing at the box, waiting for it to open.
    priority: request.priority ?? 'HIGH',
    confirmed: req.confirmed ?? true,
    correlation_ids: [ttsCorrelationId(req.commandId)],
  };
  return { topic: ttsDownPushTopic(target), payload: JSON.stringify({ downlinks: [downlink] }) };
}

/**
 * `down/replace` with an empty list: empties the device's TTS queue, so that a command we gave
 * up on is not carried out at the lock's next uplink. ChirpStack's MQTT integration has no
 * counterpart (only `command/down`, which enqueues); its queue is flushed through the API.
 */
export function encodeTtsQueueClear(device: TtsDevice): MqttPublication {
  const target = check(ttsDeviceSchema, device, 'TTS device');
  return { topic: ttsDownReplaceTopic(target), payload: JSON.stringify({ downlinks: [] }) };
}

/** `application/{app}/device/{devEui}/command/down` (ChirpStack `DownlinkCommand`). */
export function encodeChirpstackDownlink(
  device: ChirpstackDevice,
  request: DownlinkRequest,
): MqttPublication {
  const target = check(chirpstackDeviceSchema, device, 'ChirpStack device');
  const req = check(requestSchema, request, 'downlink request');
  // ChirpStack compares the body's devEui with the topic's as strings: spell both alike.
  const devEui = normalizeEui(target.devEui)!;
  const command = {
    id: req.commandId.toLowerCase(),
    devEui,
    confirmed: req.confirmed ?? true,
    fPort: req.fPort,
    data: Buffer.from(req.payload).toString('base64'),
  };
  return {
    topic: chirpstackCommandDownTopic({ applicationId: target.applicationId.toLowerCase(), devEui }),
    payload: JSON.stringify(command),
  };
}
