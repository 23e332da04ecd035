import type { z } from 'zod';
import { decodeBase64, normalizeEui, parseTimestamp } from './encoding.ts';
import { err, ok, type Result } from './result.ts';

/** The network-server-independent shape of one LoRaWAN data uplink. */
export interface LorawanUplink {
  network: 'tts' | 'chirpstack';
  /** Lowercase hex, 16 characters. */
  devEui: string;
  /** The Things Stack end device id (needed to address downlinks there). */
  deviceId?: string;
  /** ChirpStack device name. */
  deviceName?: string;
  /** TTS application id or ChirpStack application UUID. */
  applicationId?: string;
  /** 0 means a MAC-only frame without application payload. */
  fPort: number;
  fCnt: number;
  payload: Buffer;
  receivedAt: Date;
  /** Of the gateway that heard the frame best (highest RSSI), in dBm. */
  rssi?: number;
  /** Of that same gateway, in dB. */
  snr?: number;
}

export type UplinkErrorReason =
  | 'malformed_json'
  | 'missing_field'
  | 'invalid_field'
  | 'bad_base64'
  | 'bad_dev_eui'
  | 'bad_timestamp'
  | 'not_an_uplink_topic'
  | 'topic_mismatch';

export interface UplinkError {
  reason: UplinkErrorReason;
  message: string;
  /** Dotted path of the offending field, when there is one. */
  path?: string;
}

export interface UplinkParseOptions {
  /**
   * Used when the message carries no timestamp at all (the older examples in the TTS MQTT
   * docs have none). Without it such a message is rejected with `missing_field`.
   */
  receivedAtFallback?: Date;
}

/** MQTT hands us bytes; both network servers publish UTF-8 JSON. */
export function parseJson(payload: Uint8Array | string): Result<unknown, UplinkError> {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (cause) {
    return err({ reason: 'malformed_json', message: `Not JSON: ${(cause as Error).message}` });
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Turns the first zod issue into our error. Protobuf JSON leaves out fields holding their
 * default value, so "absent" and "wrong type" must be told apart for the caller.
 */
export interface FieldError {
  reason: 'missing_field' | 'invalid_field';
  message: string;
  path?: string;
}

export function fromZodError(error: z.ZodError, input: unknown): FieldError {
  const issue = error.issues[0];
  if (issue === undefined) return { reason: 'invalid_field', message: 'Invalid message' };
  const path = issue.path.map(String).join('.');
  const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
  return missing
    ? { reason: 'missing_field', message: `Missing field ${path}`, path }
    : { reason: 'invalid_field', message: `Invalid field ${path}: ${issue.message}`, path };
}

export interface RxSignal {
  rssi?: number | undefined;
  snr?: number | undefined;
}

/**
 * Picks the best-heard gateway. An absent snr may also mean 0 dB, which protobuf JSON
 * cannot tell apart from "not reported"; we report it as unknown rather than invent 0.
 */
export function strongestSignal(entries: readonly RxSignal[]): RxSignal {
  let best: RxSignal | undefined;
  for (const entry of entries) {
    if (entry.rssi === undefined) continue;
    if (best?.rssi === undefined || entry.rssi > best.rssi) best = entry;
  }
  if (best !== undefined) return { rssi: best.rssi, snr: best.snr };
  const snrs = entries.flatMap((e) => (e.snr === undefined ? [] : [e.snr]));
  return snrs.length > 0 ? { snr: Math.max(...snrs) } : {};
}

/** Drops undefined members so results compare cleanly and serialise without noise. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Where a network server's JSON keeps the fields every uplink has, as dotted paths. */
export interface CoreFieldPaths {
  devEui: string;
  data: string;
  time: string;
}

/**
 * DevEUI, payload bytes and reception time, which both network servers carry under names of
 * their own; errors name the field as the server spells it. A missing time falls back to
 * `options.receivedAtFallback`.
 */
export function coreUplinkFields(
  fields: { devEui: string; data: string | undefined; time: string | undefined },
  paths: CoreFieldPaths,
  options: UplinkParseOptions,
): Result<{ devEui: string; payload: Buffer; receivedAt: Date }, UplinkError> {
  const name = (path: string) => path.slice(path.lastIndexOf('.') + 1);
  const devEui = normalizeEui(fields.devEui);
  if (devEui === undefined) {
    return err({
      reason: 'bad_dev_eui',
      message: `${name(paths.devEui)} is not 16 hex digits`,
      path: paths.devEui,
    });
  }
  const payload = decodeBase64(fields.data ?? '');
  if (payload === undefined) {
    return err({ reason: 'bad_base64', message: `${name(paths.data)} is not base64`, path: paths.data });
  }
  let receivedAt = options.receivedAtFallback;
  if (fields.time !== undefined) {
    receivedAt = parseTimestamp(fields.time);
    if (receivedAt === undefined) {
      const message = `${name(paths.time)} is not RFC 3339: ${fields.time}`;
      return err({ reason: 'bad_timestamp', message, path: paths.time });
    }
  }
  if (receivedAt === undefined) {
    return err({ reason: 'missing_field', message: `Missing field ${name(paths.time)}`, path: paths.time });
  }
  return ok({ devEui, payload, receivedAt });
}

/** JSON text checked against a network server's schema; both failures as UplinkError. */
export function parseEnvelope<T>(payload: Uint8Array | string, schema: z.ZodType<T>): Result<T, UplinkError> {
  const json = parseJson(payload);
  if (!json.ok) return json;
  const parsed = schema.safeParse(json.value);
  return parsed.success ? ok(parsed.data) : err(fromZodError(parsed.error, json.value));
}
