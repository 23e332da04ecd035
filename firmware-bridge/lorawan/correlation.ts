import { z } from 'zod';
import { isUuid, normalizeEui } from './encoding.ts';
import { fromZodError, parseJson } from './envelope.ts';
import { err, ok, type Result } from './result.ts';
import { type LorawanTopic, parseLorawanTopic } from './topics.ts';
import { commandIdFromCorrelationIds } from './tts-correlation.ts';

/**
 * Maps downlink life-cycle events back to our command id.
 *
 * Outcomes:
 * - `sent`: a gateway transmitted (or accepted for transmission) the downlink
 *   (TTS down/sent, ChirpStack txack). Not yet proof that the lock received it.
 * - `acked`: the device acknowledged the confirmed downlink (TTS down/ack, ChirpStack ack
 *   with acknowledged=true).
 * - `nacked`: no acknowledgement (TTS down/nack; ChirpStack ack without acknowledged, which
 *   the protobuf JSON mapping leaves out when false, i.e. timed out). TTS may retry a
 *   nacked downlink itself (confirmed_retry), so a nack is not necessarily final there.
 * - `failed`: the network server gave up (TTS down/failed, e.g. payload too long).
 */
export type DownlinkOutcome = 'sent' | 'acked' | 'nacked' | 'failed';

export interface DownlinkCorrelation {
  network: 'tts' | 'chirpstack';
  commandId: string;
  outcome: DownlinkOutcome;
  /** The device, as named by the topic. */
  topic: LorawanTopic;
  /** TTS `downlink_failed.error.name`, for logs. */
  error?: string;
}

export interface CorrelationError {
  reason:
    | 'not_a_downlink_event_topic'
    | 'malformed_json'
    | 'missing_field'
    | 'invalid_field'
    | 'topic_mismatch'
    | 'no_command_id';
  message: string;
  path?: string;
}

export interface MqttMessage {
  topic: string;
  payload: Uint8Array | string;
}

const correlationIds = z.array(z.string()).optional();

const ttsApplicationDownlink = z.object({ correlation_ids: correlationIds });

const ttsEventSchema = z.object({
  end_device_ids: z.object({ device_id: z.string() }),
  correlation_ids: correlationIds,
  downlink_ack: ttsApplicationDownlink.optional(),
  downlink_nack: ttsApplicationDownlink.optional(),
  downlink_sent: ttsApplicationDownlink.optional(),
  downlink_failed: z
    .object({
      downlink: ttsApplicationDownlink.optional(),
      error: z.object({ name: z.string().optional() }).optional(),
    })
    .optional(),
});

const chirpstackEventSchema = z.object({
  deviceInfo: z.object({ devEui: z.string() }).optional(),
  queueItemId: z.string(),
  acknowledged: z.boolean().optional(),
});

const ttsOutcomes = { ack: 'acked', nack: 'nacked', sent: 'sent', failed: 'failed' } as const;

export function correlationOf(message: MqttMessage): Result<DownlinkCorrelation, CorrelationError> {
  const topic = parseLorawanTopic(message.topic);
  if (topic === undefined || topic.kind !== 'downlink-event') {
    return err({
      reason: 'not_a_downlink_event_topic',
      message: `Not a downlink event topic: ${message.topic}`,
    });
  }
  const json = parseJson(message.payload);
  if (!json.ok) return err({ reason: 'malformed_json', message: json.error.message });

  if (topic.network === 'tts') {
    const parsed = ttsEventSchema.safeParse(json.value);
    if (!parsed.success) return err(fromZodError(parsed.error, json.value));
    const event = parsed.data;
    if (event.end_device_ids.device_id !== topic.deviceId) {
      return err({
        reason: 'topic_mismatch',
        message: `Event for ${event.end_device_ids.device_id} on ${message.topic}`,
      });
    }
    const key = `downlink_${topic.event}` as const;
    if (event[key] === undefined) {
      return err({ reason: 'missing_field', message: `Missing field ${key}`, path: key });
    }
    // A failed event wraps the downlink; the others are the downlink.
    const nested =
      topic.event === 'failed'
        ? event.downlink_failed?.downlink?.correlation_ids
        : event[`downlink_${topic.event}`]?.correlation_ids;
    const commandId = commandIdFromCorrelationIds([...(nested ?? []), ...(event.correlation_ids ?? [])]);
    if (commandId === undefined) {
      return err({ reason: 'no_command_id', message: 'No swf:cmd: correlation id in the event' });
    }
    const failure = event.downlink_failed?.error?.name;
    return ok({
      network: 'tts',
      commandId,
      outcome: ttsOutcomes[topic.event],
      topic,
      ...(failure === undefined ? {} : { error: failure }),
    });
  }

  const parsed = chirpstackEventSchema.safeParse(json.value);
  if (!parsed.success) return err(fromZodError(parsed.error, json.value));
  const event = parsed.data;
  const devEui = event.deviceInfo === undefined ? topic.devEui : normalizeEui(event.deviceInfo.devEui);
  if (devEui !== topic.devEui) {
    return err({
      reason: 'topic_mismatch',
      message: `Event for ${event.deviceInfo?.devEui} on ${message.topic}`,
    });
  }
  if (!isUuid(event.queueItemId)) {
    return err({ reason: 'no_command_id', message: 'queueItemId is not a UUID', path: 'queueItemId' });
  }
  const outcome: DownlinkOutcome = topic.event === 'txack' ? 'sent' : event.acknowledged ? 'acked' : 'nacked';
  return ok({ network: 'chirpstack', commandId: event.queueItemId.toLowerCase(), outcome, topic });
}
