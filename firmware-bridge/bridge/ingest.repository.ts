import { sql } from 'kysely';
import type { Tx } from '../../services/core/db/database.ts';
import type { DeviceKey } from '../contract/topics.ts';

export interface EventRow extends DeviceKey {
  type: string;
  at: string;
  payload: unknown;
}

export interface ReadingRow extends DeviceKey {
  at: string;
  occupied: boolean | null;
  batteryPercent: number | null;
  lat: number | null;
  lon: number | null;
  payload: unknown;
}

export interface DeadLetterRow {
  topic: string;
  payload: string;
  reason: string;
}

/** What one batch changes on a device; null leaves a column as it is. */
export interface DeviceStatePatch extends DeviceKey {
  online: boolean | null;
  seenAt: Date | null;
  doorOpen: boolean | null;
  occupied: boolean | null;
  batteryPercent: number | null;
  lockState: string | null;
}

/**
 * A JSON value for a jsonb column. Bound as text and cast: postgres.js serializes a value bound
 * to a jsonb parameter with JSON.stringify again, so a JSON string would be stored as a
 * jsonb *string* rather than an object.
 */
export function jsonb(value: unknown) {
  return sql<string>`${JSON.stringify(value)}::text::jsonb`;
}

export const keyOf = (k: DeviceKey) => `${k.tenantId}\u0000${k.deviceId}`;

/** Everything ingest writes; each method is one statement however many rows it gets. */
export const ingestRepository = {
  async knownDevices(tx: Tx, keys: DeviceKey[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await tx
      .selectFrom('device')
      .select(['tenant_id', 'id'])
      .where(
        sql<boolean>`(tenant_id, id) in (${sql.join(keys.map((k) => sql`(${k.tenantId}, ${k.deviceId})`))})`,
      )
      .execute();
    return new Set(rows.map((r) => keyOf({ tenantId: r.tenant_id, deviceId: r.id })));
  },

  /**
   * Many rows as one JSON parameter unpacked by jsonb_to_recordset: one short statement and
   * one parameter however large the batch, instead of a VALUES list with eight parameters a
   * row that Kysely compiles and the server parses anew for every batch size.
   */
  async insertEvents(tx: Tx, rows: EventRow[]): Promise<void> {
    if (rows.length === 0) return;
    const json = JSON.stringify(
      rows.map((r) => ({ t: r.tenantId, d: r.deviceId, k: r.type, a: r.at, p: r.payload })),
    );
    await sql`
      insert into device_event (tenant_id, device_id, type, at, payload)
      select r.t, r.d, r.k, r.a, r.p
      from jsonb_to_recordset(${json}::text::jsonb) as r(t text, d text, k text, a timestamptz, p jsonb)`.execute(
      tx,
    );
  },

  async insertReadings(tx: Tx, rows: ReadingRow[]): Promise<void> {
    if (rows.length === 0) return;
    const json = JSON.stringify(
      rows.map((r) => ({
        t: r.tenantId,
        d: r.deviceId,
        a: r.at,
        o: r.occupied,
        b: r.batteryPercent,
        la: r.lat,
        lo: r.lon,
        p: r.payload,
      })),
    );
    await sql`
      insert into sensor_reading (tenant_id, device_id, at, occupied, battery_percent, lat, lon, payload)
      select r.t, r.d, r.a, r.o, r.b, r.la, r.lo, r.p
      from jsonb_to_recordset(${json}::text::jsonb)
        as r(t text, d text, a timestamptz, o boolean, b real, la double precision, lo double precision, p jsonb)`.execute(
      tx,
    );
  },

  async insertDeadLetters(tx: Tx, rows: DeadLetterRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.insertInto('dead_letter').values(rows).execute();
  },

  /** One UPDATE … FROM (VALUES …) for all devices of a batch. */
  async applyDeviceStates(tx: Tx, patches: DeviceStatePatch[], now: Date): Promise<void> {
    if (patches.length === 0) return;
    const values = sql.join(
      patches.map(
        (p) => sql`(${p.tenantId}::text, ${p.deviceId}::text, ${p.online}::boolean, ${p.seenAt}::timestamptz,
          ${p.doorOpen}::boolean, ${p.occupied}::boolean, ${p.batteryPercent}::real, ${p.lockState}::text)`,
      ),
    );
    await sql`
      update device d set
        online = coalesce(v.online, d.online),
        last_seen_at = greatest(d.last_seen_at, v.seen_at),
        door_open = coalesce(v.door_open, d.door_open),
        occupied = coalesce(v.occupied, d.occupied),
        battery_percent = coalesce(v.battery_percent, d.battery_percent),
        lock_state = coalesce(v.lock_state, d.lock_state),
        state_changed_at = case
          when v.online is distinct from null and v.online is distinct from d.online
            or v.door_open is distinct from null and v.door_open is distinct from d.door_open
            or v.occupied is distinct from null and v.occupied is distinct from d.occupied
            or v.lock_state is distinct from null and v.lock_state is distinct from d.lock_state
          then ${now}::timestamptz else d.state_changed_at end
      from (values ${values}) as v(tenant_id, device_id, online, seen_at, door_open, occupied, battery_percent, lock_state)
      where d.tenant_id = v.tenant_id and d.id = v.device_id`.execute(tx);
  },
};
