import { sql } from 'kysely';
import type { Tx, VehicleRow, VehicleTypeRow } from '../core/db/database.ts';
import type {
  BusyPeriod,
  FormFactor,
  Propulsion,
  Vehicle,
  VehicleInput,
  VehiclePublicState,
  VehicleStatus,
  VehicleType,
  VehicleTypeInput,
} from './vehicle.ts';

export function vehicleTypeRowToVehicleType(row: VehicleTypeRow): VehicleType {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    code: row.code,
    name: row.name,
    formFactor: row.form_factor as FormFactor,
    propulsion: row.propulsion as Propulsion,
    maxRangeMeters: row.max_range_meters,
    riderCapacity: row.rider_capacity,
    cargoLoadKg: row.cargo_load_kg,
    cargoVolumeLiters: row.cargo_volume_liters,
  };
}

export function vehicleRowToVehicle(row: VehicleRow): Vehicle {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    vehicleTypeId: row.vehicle_type_id,
    label: row.label,
    deviceId: row.device_id,
    homeStationId: row.home_station_id,
    stationId: row.station_id,
    status: row.status as VehicleStatus,
    publicId: row.public_id,
    updatedAt: row.updated_at,
  };
}

/** uuids from our own rows; the array literal needs no escaping. */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

export interface VehicleFilter {
  tenantId?: string | undefined;
  stationIds?: readonly string[] | undefined;
  formFactor?: FormFactor | undefined;
  includeRetired?: boolean;
}

export const vehicleRepository = {
  async typesByIds(tx: Tx, ids: readonly string[]): Promise<(VehicleType | undefined)[]> {
    if (ids.length === 0) return [];
    const rows = await tx.selectFrom('vehicle_type').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, vehicleTypeRowToVehicleType(r)]));
    return ids.map((id) => byId.get(id));
  },

  async listTypes(tx: Tx, tenantId?: string): Promise<VehicleType[]> {
    let query = tx.selectFrom('vehicle_type').selectAll();
    if (tenantId) query = query.where('tenant_id', '=', tenantId);
    const rows = await query.orderBy('tenant_id').orderBy('code').execute();
    return rows.map(vehicleTypeRowToVehicleType);
  },

  async insertType(tx: Tx, tenantId: string, input: VehicleTypeInput): Promise<VehicleType> {
    const row = await tx
      .insertInto('vehicle_type')
      .values({
        tenant_id: tenantId,
        code: input.code,
        name: input.name,
        form_factor: input.formFactor,
        propulsion: input.propulsion,
        max_range_meters: input.maxRangeMeters ?? null,
        rider_capacity: input.riderCapacity ?? null,
        cargo_load_kg: input.cargoLoadKg ?? null,
        cargo_volume_liters: input.cargoVolumeLiters ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return vehicleTypeRowToVehicleType(row);
  },

  async findByIds(tx: Tx, ids: readonly string[]): Promise<(Vehicle | undefined)[]> {
    if (ids.length === 0) return [];
    const rows = await tx.selectFrom('vehicle').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, vehicleRowToVehicle(r)]));
    return ids.map((id) => byId.get(id));
  },

  async findById(tx: Tx, id: string): Promise<Vehicle | undefined> {
    const row = await tx.selectFrom('vehicle').selectAll().where('id', '=', id).executeTakeFirst();
    return row && vehicleRowToVehicle(row);
  },

  /** Locks the vehicle row: trip start and end change it under the lock. */
  async findByIdForUpdate(tx: Tx, id: string): Promise<Vehicle | undefined> {
    const row = await tx
      .selectFrom('vehicle')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row && vehicleRowToVehicle(row);
  },

  /**
   * Vehicles by where they belong: the station they stand at, or for a vehicle out on a trip
   * the station it was taken from (its home station if nothing else is known).
   */
  async list(tx: Tx, filter: VehicleFilter): Promise<Vehicle[]> {
    let query = tx
      .selectFrom('vehicle as v')
      .innerJoin('vehicle_type as t', 't.id', 'v.vehicle_type_id')
      .selectAll('v');
    if (filter.tenantId) query = query.where('v.tenant_id', '=', filter.tenantId);
    if (!filter.includeRetired) query = query.where('v.status', '<>', 'retired');
    if (filter.formFactor) query = query.where('t.form_factor', '=', filter.formFactor);
    if (filter.stationIds) {
      if (filter.stationIds.length === 0) return [];
      const ids = filter.stationIds;
      query = query.where((eb) => eb(eb.fn.coalesce('v.station_id', 'v.home_station_id'), 'in', ids));
    }
    const rows = await query.orderBy('v.tenant_id').orderBy('v.label').execute();
    return rows.map(vehicleRowToVehicle);
  },

  /** A telematics device named for the first time is registered with the vehicle. */
  async ensureDevice(tx: Tx, tenantId: string, deviceId: string): Promise<void> {
    await tx
      .insertInto('device')
      .values({ tenant_id: tenantId, id: deviceId, kind: 'telematics' })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .execute();
  },

  async insert(tx: Tx, tenantId: string, input: VehicleInput): Promise<Vehicle> {
    await vehicleRepository.ensureDevice(tx, tenantId, input.deviceId);
    const row = await tx
      .insertInto('vehicle')
      .values({
        tenant_id: tenantId,
        vehicle_type_id: input.vehicleTypeId,
        label: input.label,
        device_id: input.deviceId,
        home_station_id: input.homeStationId,
        station_id: input.homeStationId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return vehicleRowToVehicle(row);
  },

  async update(
    tx: Tx,
    id: string,
    patch: {
      status?: VehicleStatus;
      stationId?: string | null;
      homeStationId?: string;
      vehicleTypeId?: string;
      label?: string;
      deviceId?: string;
      rotatePublicId?: boolean;
    },
  ): Promise<Vehicle | undefined> {
    const row = await tx
      .updateTable('vehicle')
      .set({
        updated_at: new Date(),
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.stationId !== undefined && { station_id: patch.stationId }),
        ...(patch.homeStationId !== undefined && { home_station_id: patch.homeStationId }),
        ...(patch.vehicleTypeId !== undefined && { vehicle_type_id: patch.vehicleTypeId }),
        ...(patch.label !== undefined && { label: patch.label }),
        ...(patch.deviceId !== undefined && { device_id: patch.deviceId }),
        ...(patch.rotatePublicId && { public_id: sql<string>`gen_random_uuid()` }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && vehicleRowToVehicle(row);
  },

  /** Live reservations overlapping [from, to), through the function that hides who holds them. */
  async busyPeriods(tx: Tx, vehicleIds: readonly string[], from: Date, to: Date): Promise<BusyPeriod[]> {
    if (vehicleIds.length === 0) return [];
    const result = await sql<{ vehicle_id: string; station_id: string; starts_at: Date; ends_at: Date }>`
      select vehicle_id, station_id, starts_at, ends_at
      from vehicle_busy_periods(${uuidArray(vehicleIds)}::uuid[], ${from}::timestamptz, ${to}::timestamptz)`.execute(
      tx,
    );
    return result.rows.map((r) => ({
      vehicleId: r.vehicle_id,
      stationId: r.station_id,
      from: new Date(r.starts_at),
      to: new Date(r.ends_at),
    }));
  },

  async publicStates(tx: Tx, vehicleIds: readonly string[]): Promise<Map<string, VehiclePublicState>> {
    if (vehicleIds.length === 0) return new Map();
    const result = await sql<{
      vehicle_id: string;
      battery_percent: number | null;
      last_seen_at: Date | null;
      online: boolean | null;
    }>`select * from vehicle_public_state(${uuidArray(vehicleIds)}::uuid[])`.execute(tx);
    return new Map(
      result.rows.map((r) => [
        r.vehicle_id,
        {
          vehicleId: r.vehicle_id,
          batteryPercent: r.battery_percent,
          lastSeenAt: r.last_seen_at && new Date(r.last_seen_at),
          online: r.online,
        },
      ]),
    );
  },
};
