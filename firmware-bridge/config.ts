import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError } from '../services/core/config.ts';

/**
 * The bridge process's settings, validated once at start-up like services/core/config.ts:
 * every problem at once, and an empty string counts as unset.
 */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
// Defaults sit inside the preprocess: outside it, '' would become undefined only after the
// default was considered, and then fail as NaN or "expected string".
const int = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyAsUnset, z.coerce.number().int().min(min).max(max).default(fallback));
const text = (fallback: string) => z.preprocess(emptyAsUnset, z.string().min(1).default(fallback));
const optionalText = () => z.preprocess(emptyAsUnset, z.string().min(1).optional());

/** Default instance id: stable for a container (its hostname, pid 1), unique on a shared host. */
export function defaultInstanceId(): string {
  return `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 64);
}

const BridgeEnvSchema = z.object({
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .string({ error: 'required' })
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
  ),
  DATABASE_POOL_SIZE: int(1, 100, 5),
  MQTT_URL: z.preprocess(
    emptyAsUnset,
    z
      .string({ error: 'required' })
      .regex(/^(mqtts?|wss?):\/\//, 'must be an mqtt://, mqtts://, ws:// or wss:// URL'),
  ),
  MQTT_USERNAME: text('bridge'),
  MQTT_PASSWORD: optionalText(),
  MQTT_PROTOCOL_VERSION: z.preprocess(emptyAsUnset, z.enum(['4', '5']).default('5')),
  /** Shared-subscription group; "none" for a broker without $share. */
  MQTT_SHARE_GROUP: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .default('bridge'),
  ),
  MQTT_SESSION_EXPIRY_SECONDS: int(0, 7 * 24 * 3600, 300),
  BRIDGE_HOST: optionalText(),
  /** The platform-wide bind address (compose sets HOST=0.0.0.0 for every service). */
  HOST: optionalText(),
  BRIDGE_PORT: int(1, 65535, 4100),
  BRIDGE_INSTANCE_ID: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only (it becomes an MQTT topic level)')
      .optional(),
  ),
  BRIDGE_POLL_INTERVAL_MS: int(50, 60_000, 1000),
  BRIDGE_RETRY_BASE_MS: int(50, 600_000, 2000),
  BRIDGE_RETRY_MAX_MS: int(100, 3_600_000, 30_000),
  /** The Things Stack v3 / ChirpStack v4 MQTT integrations on the same broker. */
  BRIDGE_LORAWAN: z.preprocess(emptyAsUnset, z.enum(['on', 'off']).default('on')),
  LOG_LEVEL: z.preprocess(
    emptyAsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export interface BridgeConfig {
  databaseUrl: string;
  databasePoolSize: number;
  mqttUrl: string;
  mqttUsername: string;
  mqttPassword: string | undefined;
  mqttProtocolVersion: 4 | 5;
  shareGroup: string | undefined;
  sessionExpirySeconds: number;
  host: string;
  port: number;
  instanceId: string;
  pollIntervalMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  lorawan: boolean;
  logLevel: string;
}

export function loadBridgeConfig(env: Record<string, string | undefined> = process.env): BridgeConfig {
  const parsed = BridgeEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    mqttUrl: e.MQTT_URL,
    mqttUsername: e.MQTT_USERNAME,
    mqttPassword: e.MQTT_PASSWORD,
    mqttProtocolVersion: e.MQTT_PROTOCOL_VERSION === '4' ? 4 : 5,
    shareGroup: e.MQTT_SHARE_GROUP === 'none' ? undefined : e.MQTT_SHARE_GROUP,
    sessionExpirySeconds: e.MQTT_SESSION_EXPIRY_SECONDS,
    host: e.BRIDGE_HOST ?? e.HOST ?? '127.0.0.1',
    port: e.BRIDGE_PORT,
    instanceId: e.BRIDGE_INSTANCE_ID ?? defaultInstanceId(),
    pollIntervalMs: e.BRIDGE_POLL_INTERVAL_MS,
    retryBaseMs: e.BRIDGE_RETRY_BASE_MS,
    retryMaxMs: e.BRIDGE_RETRY_MAX_MS,
    lorawan: e.BRIDGE_LORAWAN === 'on',
    logLevel: e.LOG_LEVEL,
  };
}
