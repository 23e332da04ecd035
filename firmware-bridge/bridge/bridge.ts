import { sql } from 'kysely';
import { type Clock, systemClock } from '../../services/core/clock.ts';
import type { DatabaseHandle } from '../../services/core/db/connect.ts';
import type { Logger } from '../../services/core/logging.ts';
import { bridgeStatusTopic, inboundFilters } from '../contract/topics.ts';
import { Ingest, type IngestOptions } from './ingest.ts';
import { isLorawanTopic, LorawanIngest, lorawanFilters } from './lorawan-ingest.ts';
import type { BridgeMetrics } from './metrics.ts';
import { MqttConnection } from './mqtt-connection.ts';
import { type OutboxOptions, OutboxPublisher } from './outbox.ts';

export interface BridgeMqttOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  protocolVersion: 4 | 5;
  /** How long the broker keeps this instance's session (and its queued QoS 1 messages). */
  sessionExpirySeconds?: number;
  reconnectPeriodMs?: number;
}

export interface BridgeOptions {
  database: DatabaseHandle;
  logger: Logger;
  metrics: BridgeMetrics;
  mqtt: BridgeMqttOptions;
  /** Stable per instance: it names the MQTT session (client id) and the status topic. */
  instanceId: string;
  /** Shared-subscription group; undefined for brokers without `$share` (aedes). */
  shareGroup: string | undefined;
  clock?: Clock;
  ingest?: Partial<IngestOptions>;
  outbox?: Partial<OutboxOptions>;
  /** Subscribe to The Things Stack v3 and ChirpStack v4 integrations (default true). */
  lorawan?: boolean;
}

export interface Bridge {
  readonly instanceId: string;
  readonly connection: MqttConnection;
  readonly ingest: Ingest;
  readonly outbox: OutboxPublisher;
  /** Throws unless the broker is connected and the database answers (for /readyz). */
  checkReady(): Promise<void>;
  /** Graceful: stop claiming, write buffered messages, announce offline, disconnect. */
  close(): Promise<void>;
  /** As a crash: no flush, no offline announcement (the Last Will does it). For tests. */
  kill(): Promise<void>;
}

export const bridgeClientId = (instanceId: string) => `bridge-${instanceId}`;

/** Connects, subscribes and starts the outbox: the whole bridge around one MQTT connection. */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ bridge: options.instanceId });
  const ingest = new Ingest({
    database: options.database,
    logger,
    metrics: options.metrics,
    clock,
    options: options.ingest,
  });
  const lorawan =
    options.lorawan === false
      ? undefined
      : new LorawanIngest({ database: options.database, ingest, logger, metrics: options.metrics, clock });
  const connection = new MqttConnection({
    url: options.mqtt.url,
    clientId: bridgeClientId(options.instanceId),
    username: options.mqtt.username,
    password: options.mqtt.password,
    protocolVersion: options.mqtt.protocolVersion,
    clean: false,
    sessionExpirySeconds: options.mqtt.sessionExpirySeconds,
    reconnectPeriodMs: options.mqtt.reconnectPeriodMs,
    availability: { topic: bridgeStatusTopic(options.instanceId), online: 'online', offline: 'offline' },
    logger,
    onMessage: (topic, payload) =>
      lorawan && isLorawanTopic(topic) ? lorawan.handle(topic, payload) : ingest.handle(topic, payload),
  });
  await connection.connect();
  await connection.subscribe(inboundFilters(options.shareGroup), 1);
  if (lorawan) {
    const filters = lorawanFilters(options.shareGroup);
    await connection.subscribe(filters.qos0, 0);
    await connection.subscribe(filters.qos1, 1);
  }
  const outbox = new OutboxPublisher({
    database: options.database,
    connection,
    logger,
    metrics: options.metrics,
    clock,
    instanceId: options.instanceId,
    options: options.outbox,
  });
  await outbox.start();
  logger.info({ shareGroup: options.shareGroup ?? null }, 'bridge started');

  return {
    instanceId: options.instanceId,
    connection,
    ingest,
    outbox,
    async checkReady() {
      if (!connection.connected) throw new Error('MQTT broker not connected');
      await sql`select 1`.execute(options.database.db);
    },
    async close() {
      await outbox.stop();
      await connection.close();
      await ingest.close();
      logger.info('bridge stopped');
    },
    async kill() {
      await connection.kill();
      await outbox.stop();
    },
  };
}
