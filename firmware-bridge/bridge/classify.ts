import type { z } from 'zod';
import {
  type AckPayload,
  ackPayloadSchema,
  type EventPayload,
  eventPayloadSchema,
  MAX_PAYLOAD_BYTES,
  type StatusPayload,
  statusPayloadSchema,
  type TelemetryPayload,
  telemetryPayloadSchema,
} from '../contract/payloads.ts';
import { type DeviceKey, parseTopic } from '../contract/topics.ts';

export type DeadLetterReason =
  | 'invalid_topic'
  | 'oversized'
  | 'malformed_json'
  | 'schema_mismatch'
  | 'unknown_device'
  | 'storage_error'
  /** LoRaWAN: the envelope parsed, but the device profile cannot decode the bytes. */
  | 'undecodable_payload';

export type Inbound =
  | ({ kind: 'ack'; payload: AckPayload } & DeviceKey)
  | ({ kind: 'event'; payload: EventPayload } & DeviceKey)
  | ({ kind: 'telemetry'; payload: TelemetryPayload } & DeviceKey)
  | ({ kind: 'status'; payload: StatusPayload } & DeviceKey);

export interface DeadLetter {
  topic: string;
  /** The payload as text, cut to MAX_PAYLOAD_BYTES. */
  payload: string;
  reason: DeadLetterReason;
  /** Human-readable detail, stored with the reason. */
  detail: string;
}

export type Classified =
  | { type: 'message'; message: Inbound }
  | { type: 'dead'; dead: DeadLetter }
  /** Not for us: the bridges' own status, a cleared retained status, a command echo. */
  | { type: 'ignore' };

/**
 * PostgreSQL text cannot hold NUL; anything else a device sends is kept (as UTF-8, invalid
 * sequences replaced) so an operator can see what went wrong.
 */
export function payloadText(payload: Buffer, maxBytes = MAX_PAYLOAD_BYTES): string {
  return payload.subarray(0, maxBytes).toString('utf8').replaceAll('\u0000', '\uFFFD');
}

export function deadLetter(
  topic: string,
  payload: Buffer,
  reason: DeadLetterReason,
  detail: string,
): { type: 'dead'; dead: DeadLetter } {
  return { type: 'dead', dead: { topic, payload: payloadText(payload), reason, detail } };
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

const jsonSchemas = {
  ack: ackPayloadSchema,
  event: eventPayloadSchema,
  telemetry: telemetryPayloadSchema,
} as const;

/** Checks topic, size, JSON and schema of one received message. Never throws. */
export function classify(topic: string, payload: Buffer): Classified {
  const parsed = parseTopic(topic);
  if (parsed.type === 'bridge') return { type: 'ignore' };
  if (parsed.type === 'invalid')
    return deadLetter(topic, payload, 'invalid_topic', 'not swf/{tenant}/{deviceId}/{kind}');
  const { tenantId, deviceId, kind } = parsed.topic;
  if (kind === 'cmd') return { type: 'ignore' };
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return deadLetter(topic, payload, 'oversized', `${payload.length} bytes > ${MAX_PAYLOAD_BYTES}`);
  }
  const key = { tenantId, deviceId };

  if (kind === 'status') {
    // An empty retained message clears the retained status; it says nothing about the device.
    if (payload.length === 0) return { type: 'ignore' };
    const status = statusPayloadSchema.safeParse(payload.toString('utf8'));
    if (!status.success)
      return deadLetter(topic, payload, 'schema_mismatch', 'status must be online or offline');
    return { type: 'message', message: { kind, payload: status.data, ...key } };
  }

  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return deadLetter(topic, payload, 'malformed_json', err instanceof Error ? err.message : String(err));
  }
  // jsonb refuses \u0000 inside strings; such a message would poison a whole batch. JSON can
  // only write U+0000 as that escape, so most payloads are cleared without serialising them.
  if (payload.includes('\\u0000') && JSON.stringify(json).includes('\\u0000')) {
    return deadLetter(topic, payload, 'schema_mismatch', 'strings must not contain U+0000');
  }
  const result = jsonSchemas[kind].safeParse(json);
  if (!result.success) return deadLetter(topic, payload, 'schema_mismatch', issues(result.error));
  return { type: 'message', message: { kind, payload: result.data, ...key } as Inbound };
}
