import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { connectDatabase, type DatabaseHandle } from '../../services/core/db/connect.ts';
import type { Db } from '../../services/core/db/database.ts';
import { createLogger, type Logger } from '../../services/core/logging.ts';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { createGarage } from '../../test/support/fixtures.ts';
import { createTestDatabase } from '../../test/support/postgres.ts';
import { type Bridge, type BridgeOptions, startBridge } from '../bridge/bridge.ts';
import { type BridgeMetrics, createBridgeMetrics } from '../bridge/metrics.ts';
import { provisionDeviceSecrets } from '../provisioning.ts';
import type { MqttUser } from './mosquitto.ts';

export const BRIDGE_USER: MqttUser = { username: 'bridge', password: 'bridge-test-password' };
export const devicePassword = (deviceId: string) => `pw-${deviceId}`;

export interface World {
  /** postgres:// URL of the test database, for bridge processes. */
  url: string;
  database: DatabaseHandle;
  db: Db;
  tenantId: string;
  deviceIds: string[];
  logger: Logger;
  /** Broker users: the bridge and one per device (password devicePassword(id)). */
  mqttUsers: MqttUser[];
  newMetrics(): { registry: Registry; metrics: BridgeMetrics };
  close(): Promise<void>;
}

/** A database of the test file's own with one garage whose locks all have secrets. */
export async function createWorld(options: { spaces?: number; tenantId?: string } = {}): Promise<World> {
  const testDb = await createTestDatabase();
  const database = await connectDatabase({ databaseUrl: testDb.url, poolSize: 8 });
  const tenantId = options.tenantId ?? 'soest';
  const { spaces } = await createGarage(database.db, { tenantId, spaces: { STANDARD: options.spaces ?? 3 } });
  await provisionDeviceSecrets(database.db);
  const deviceIds = spaces.map((s) => s.lockDeviceId!);
  return {
    url: testDb.url,
    database,
    db: database.db,
    tenantId,
    deviceIds,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'bridge-test'),
    mqttUsers: [BRIDGE_USER, ...deviceIds.map((id) => ({ username: id, password: devicePassword(id) }))],
    newMetrics() {
      const registry = new Registry();
      return { registry, metrics: createBridgeMetrics(registry) };
    },
    async close() {
      await database.close();
      await testDb.drop();
    },
  };
}

/** What the API does: the command row, its first transition and the wake-up, in one transaction. */
export async function insertCommand(
  db: Db,
  c: {
    tenantId: string;
    deviceId: string;
    action?: 'unlock' | 'lock' | 'force_unlock';
    ttlMs?: number;
    params?: object;
  },
): Promise<string> {
  const issuedAt = new Date();
  return withActor(db, systemActor, async (tx) => {
    const row = await tx
      .insertInto('device_command')
      .values({
        tenant_id: c.tenantId,
        device_id: c.deviceId,
        action: c.action ?? 'unlock',
        params: JSON.stringify(c.params ?? {}),
        issued_at: issuedAt,
        expires_at: new Date(issuedAt.getTime() + (c.ttlMs ?? 30_000)),
        next_attempt_at: issuedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('device_command_transition')
      .values({ command_id: row.id, tenant_id: c.tenantId, status: 'pending', at: issuedAt })
      .execute();
    await sql`select pg_notify('device_command_created', ${row.id})`.execute(tx);
    return row.id;
  });
}

export async function commandRow(db: Db, id: string) {
  return withActor(db, systemActor, (tx) =>
    tx.selectFrom('device_command').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );
}

export async function transitionStatuses(db: Db, id: string): Promise<string[]> {
  const rows = await withActor(db, systemActor, (tx) =>
    tx
      .selectFrom('device_command_transition')
      .select('status')
      .where('command_id', '=', id)
      .orderBy('id')
      .execute(),
  );
  return rows.map((r) => r.status);
}

export async function deadLetters(db: Db) {
  return withActor(db, systemActor, (tx) => tx.selectFrom('dead_letter').selectAll().orderBy('id').execute());
}

export async function deviceRow(db: Db, tenantId: string, deviceId: string) {
  return withActor(db, systemActor, (tx) =>
    tx
      .selectFrom('device')
      .select(['online', 'last_seen_at', 'door_open', 'occupied', 'battery_percent', 'lock_state'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', deviceId)
      .executeTakeFirstOrThrow(),
  );
}

/** Collects notifications of a channel (the API's view of command changes). */
export async function collectNotifications(database: DatabaseHandle, channel: string) {
  const seen: unknown[] = [];
  const unlisten = await database.listen(channel, (payload) => seen.push(JSON.parse(payload)));
  return { seen, unlisten };
}

/** A bridge on a test broker as user "bridge", with short poll and retry times. */
export async function startTestBridge(
  world: World,
  brokerUrl: string,
  options: { instanceId: string } & Partial<BridgeOptions>,
): Promise<Bridge & { metrics: BridgeMetrics }> {
  const { metrics } = world.newMetrics();
  const bridge = await startBridge({
    database: world.database,
    logger: world.logger,
    metrics,
    mqtt: { url: brokerUrl, ...BRIDGE_USER, protocolVersion: 5, reconnectPeriodMs: 200 },
    shareGroup: 'bridge',
    outbox: { pollIntervalMs: 200, retryBaseMs: 300 },
    ...options,
  });
  return Object.assign(bridge, { metrics });
}
