import { sql } from 'kysely';
import { provisionDeviceSecrets } from '../../firmware-bridge/provisioning.ts';
import type { MqttUser } from '../../firmware-bridge/test-support/mosquitto.ts';
import { hashSecret } from '../../services/core/auth/password.ts';
import { AccessTokens } from '../../services/core/auth/tokens.ts';
import type { DatabaseHandle } from '../../services/core/db/connect.ts';
import type { SensorLogin } from './bridge-publishers.ts';

/**
 * The bridge bench's data: one garage whose boxes have locks (each booked by a commuter of its
 * own for the unlock round trip) and occupancy sensors for the ingest, plus the broker users
 * of the project's ACL: the bridge, and one per device (username = client id = device id).
 */
export const BENCH_TENANT = 'soest';
export const DEVICE_PASSWORD = 'bench-device-password';
export const BRIDGE_LOGIN: MqttUser = { username: 'bridge', password: 'bench-bridge-password' };

export interface BridgeBenchData {
  boxes: { spaceId: string; lockId: string; token: string }[];
  sensors: SensorLogin[];
  mqttUsers: MqttUser[];
}

export async function seedBridgeBench(
  db: DatabaseHandle['db'],
  options: { locks: number; sensors: number; jwtSecret: string },
): Promise<BridgeBenchData> {
  const site = await sql<{ id: string }>`
    insert into site (tenant_id, name, lat, lon, opening_hours)
    values (${BENCH_TENANT}, 'Bahnhof Soest (Bridge bench)', 51.5716, 8.1057, '24/7') returning id`.execute(
    db,
  );
  const siteId = site.rows[0]!.id;
  await sql`
    insert into device (tenant_id, id, kind)
    select ${BENCH_TENANT}, 'bench-lock-' || n, 'lock' from generate_series(1, ${options.locks}) n
  `.execute(db);
  const spaces = await sql<{ id: string; lock_device_id: string }>`
    insert into space (tenant_id, site_id, label, type, lock_device_id)
    select ${BENCH_TENANT}, ${siteId}, 'B' || lpad(n::text, 3, '0'), 'STANDARD', 'bench-lock-' || n
    from generate_series(1, ${options.locks}) n
    returning id, lock_device_id`.execute(db);
  // Locks get signing secrets. Sensors come after, without: the simulator plays every device
  // that has a secret, and two clients with a sensor's id would throw each other off the broker.
  await provisionDeviceSecrets(db);
  await sql`
    insert into device (tenant_id, id, kind)
    select ${BENCH_TENANT}, 'bench-sensor-' || n, 'sensor' from generate_series(1, ${options.sensors}) n
  `.execute(db);
  const hash = await hashSecret(DEVICE_PASSWORD);
  const accounts = await sql<{ id: string }>`
    insert into account (email, password_hash, name)
    select 'bridge-bench-' || n || '@example.org', ${hash}, 'Bridge bench ' || n
    from generate_series(1, ${options.locks}) n returning id`.execute(db);
  const tokens = new AccessTokens(options.jwtSecret, 24 * 60);
  const boxes = await Promise.all(
    spaces.rows.map(async (s, i) => ({
      spaceId: s.id,
      lockId: s.lock_device_id,
      token: await tokens.issue({ role: 'commuter', accountId: accounts.rows[i]!.id, tenantId: null }),
    })),
  );
  const sensors = Array.from({ length: options.sensors }, (_, i) => ({
    tenantId: BENCH_TENANT,
    deviceId: `bench-sensor-${i + 1}`,
    password: DEVICE_PASSWORD,
  }));
  const mqttUsers = [
    BRIDGE_LOGIN,
    ...boxes.map((b) => ({ username: b.lockId, password: DEVICE_PASSWORD })),
    ...sensors.map((s) => ({ username: s.deviceId, password: DEVICE_PASSWORD })),
  ];
  await sql`analyze`.execute(db);
  return { boxes, sensors, mqttUsers };
}
