import type { Tx } from '../core/db/database.ts';

export interface LockReading {
  lockState: string | null;
  doorOpen: boolean | null;
  /** The newest door event since the given instant: door_opened or door_closed. */
  lastDoorEvent: { type: string; at: Date } | null;
}

export interface PositionFix {
  lat: number;
  lon: number;
  at: Date;
}

export interface VehicleLiveStatus {
  lockState: string | null;
  doorOpen: boolean | null;
  batteryPercent: number | null;
  online: boolean | null;
  lastSeenAt: Date | null;
  position: PositionFix | null;
}

/** Most position fixes read for one trip; a fix every 10 s for 12 hours stays below it. */
export const MAX_TRACK_FIXES = 5000;

/**
 * What the bridge stored about a vehicle's telematics device. A rider reads it only for the
 * vehicle they are riding, and only since the trip began (row-level security on device,
 * device_event and sensor_reading).
 */
export const vehicleTelemetryRepository = {
  async lockReading(
    tx: Tx,
    tenantId: string,
    deviceId: string,
    since: Date,
  ): Promise<LockReading | undefined> {
    const device = await tx
      .selectFrom('device')
      .select(['lock_state', 'door_open'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', deviceId)
      .executeTakeFirst();
    if (!device) return undefined;
    const door = await tx
      .selectFrom('device_event')
      .select(['type', 'at'])
      .where('tenant_id', '=', tenantId)
      .where('device_id', '=', deviceId)
      .where('type', 'in', ['door_opened', 'door_closed'])
      .where('received_at', '>=', since)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return {
      lockState: device.lock_state,
      doorOpen: device.door_open,
      lastDoorEvent: door ? { type: door.type, at: door.at } : null,
    };
  },

  /** Position fixes received since `since`, oldest first. */
  async track(tx: Tx, tenantId: string, deviceId: string, since: Date): Promise<PositionFix[]> {
    const rows = await tx
      .selectFrom('sensor_reading')
      .select(['lat', 'lon', 'at'])
      .where('tenant_id', '=', tenantId)
      .where('device_id', '=', deviceId)
      .where('received_at', '>=', since)
      .where('lat', 'is not', null)
      .where('lon', 'is not', null)
      .orderBy('received_at')
      .limit(MAX_TRACK_FIXES)
      .execute();
    return rows.map((r) => ({ lat: r.lat!, lon: r.lon!, at: r.at }));
  },

  /** Staff's live view of a vehicle's device: lock, battery, last report and last position fix. */
  async liveStatus(tx: Tx, tenantId: string, deviceId: string): Promise<VehicleLiveStatus | undefined> {
    const device = await tx
      .selectFrom('device')
      .select(['lock_state', 'door_open', 'battery_percent', 'online', 'last_seen_at'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', deviceId)
      .executeTakeFirst();
    if (!device) return undefined;
    const fix = await tx
      .selectFrom('sensor_reading')
      .select(['lat', 'lon', 'at'])
      .where('tenant_id', '=', tenantId)
      .where('device_id', '=', deviceId)
      .where('lat', 'is not', null)
      .where('lon', 'is not', null)
      .orderBy('received_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return {
      lockState: device.lock_state,
      doorOpen: device.door_open,
      batteryPercent: device.battery_percent,
      online: device.online,
      lastSeenAt: device.last_seen_at,
      position: fix ? { lat: fix.lat!, lon: fix.lon!, at: fix.at } : null,
    };
  },
};
