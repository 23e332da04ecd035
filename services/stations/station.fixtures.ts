import { randomBytes } from 'node:crypto';
import { applyAck } from '../../firmware-bridge/bridge/acks.ts';
import { ingestRepository } from '../../firmware-bridge/bridge/ingest.repository.ts';
import type { TestPlatform } from '../../test/support/platform.ts';
import type { Db } from '../core/db/database.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { START_TRIP } from './station.operations.fixtures.ts';
import { stationRepository } from './station.repository.ts';
import type { MobilityStation, StationInput } from './station.ts';
import { vehicleRepository } from './vehicle.repository.ts';
import type { FormFactor, Propulsion, Vehicle, VehicleType } from './vehicle.ts';

/**
 * Test data for stations, inserted through the real repositories with random names, so tests
 * never collide. Not used by production code.
 */
export async function createStation(
  db: Db,
  tenantId: string,
  input: Partial<StationInput> = {},
): Promise<MobilityStation> {
  return withActor(db, systemActor, (tx) =>
    stationRepository.insert(tx, tenantId, {
      name: `Mobilstation ${randomBytes(3).toString('hex')}`,
      lat: 51.3965,
      lon: 8.0645,
      openingHours: '24/7',
      vehicleCapacity: 4,
      ...input,
    }),
  );
}

export async function createVehicleType(
  db: Db,
  tenantId: string,
  type: {
    formFactor?: FormFactor;
    propulsion?: Propulsion;
    maxRangeMeters?: number | null;
    code?: string;
  } = {},
): Promise<VehicleType> {
  const propulsion = type.propulsion ?? 'electric_assist';
  return withActor(db, systemActor, (tx) =>
    vehicleRepository.insertType(tx, tenantId, {
      code: type.code ?? `t-${randomBytes(3).toString('hex')}`,
      name: type.formFactor === 'cargo_bicycle' ? 'E-Lastenrad' : 'E-Bike',
      formFactor: type.formFactor ?? 'bicycle',
      propulsion,
      maxRangeMeters:
        type.maxRangeMeters === undefined ? (propulsion === 'human' ? null : 60_000) : type.maxRangeMeters,
      riderCapacity: 1,
      cargoLoadKg: type.formFactor === 'cargo_bicycle' ? 100 : null,
    }),
  );
}

export async function createVehicle(
  db: Db,
  station: MobilityStation,
  type: VehicleType,
  options: { deviceId?: string; label?: string } = {},
): Promise<Vehicle> {
  return withActor(db, systemActor, (tx) =>
    vehicleRepository.insert(tx, station.tenantId, {
      vehicleTypeId: type.id,
      label: options.label ?? `V-${randomBytes(3).toString('hex')}`,
      deviceId: options.deviceId ?? `bike-${randomBytes(4).toString('hex')}`,
      homeStationId: station.id,
    }),
  );
}

export async function setOneWayReturns(db: Db, tenantId: string, allowed: boolean): Promise<void> {
  await withActor(db, systemActor, (tx) =>
    tx.updateTable('tenant').set({ one_way_returns: allowed }).where('id', '=', tenantId).execute(),
  );
}

/**
 * What the firmware bridge writes when a vehicle's device reports (firmware-bridge/bridge/
 * ingest.ts): the event or reading rows and the device columns, through the bridge's own
 * repository, so tests without MQTT see exactly the rows the bridge would leave.
 */
export async function reportFromDevice(
  db: Db,
  vehicle: Vehicle,
  report: {
    door?: 'door_opened' | 'door_closed';
    lockState?: 'locked' | 'unlocked' | 'jammed';
    position?: { lat: number; lon: number };
    battery?: number;
  },
): Promise<void> {
  const now = new Date();
  const key = { tenantId: vehicle.tenantId, deviceId: vehicle.deviceId };
  await withActor(db, systemActor, async (tx) => {
    if (report.door) {
      await ingestRepository.insertEvents(tx, [
        {
          ...key,
          type: report.door,
          at: now.toISOString(),
          payload: { type: report.door, at: now.toISOString() },
        },
      ]);
    }
    if (report.position || report.battery !== undefined) {
      await ingestRepository.insertReadings(tx, [
        {
          ...key,
          at: now.toISOString(),
          occupied: null,
          batteryPercent: report.battery ?? null,
          lat: report.position?.lat ?? null,
          lon: report.position?.lon ?? null,
          payload: { ...report.position, battery: report.battery, at: now.toISOString() },
        },
      ]);
    }
    await ingestRepository.applyDeviceStates(
      tx,
      [
        {
          ...key,
          online: true,
          seenAt: now,
          doorOpen: report.door ? report.door === 'door_opened' : null,
          occupied: null,
          batteryPercent: report.battery ?? null,
          lockState: report.lockState ?? null,
        },
      ],
      now,
    );
  });
}

/**
 * What the bridge does with a device's ack of the unlock of a trip being started, through
 * the bridge's own applyAck: final status, transition, notification, device state.
 */
export async function ackNewestCommand(
  db: Db,
  vehicle: Vehicle,
  result: 'ok' | 'rejected' | 'failed',
  state: 'locked' | 'unlocked' | 'jammed',
): Promise<string | undefined> {
  return withActor(db, systemActor, async (tx) => {
    // The unlock of the trip being started; older unanswered commands stay as they are.
    const command = await tx
      .selectFrom('device_command as c')
      .innerJoin('trip as t', 't.id', 'c.trip_id')
      .select('c.id')
      .where('c.vehicle_id', '=', vehicle.id)
      .where('c.status', 'in', ['pending', 'sent'])
      .where('t.status', '=', 'starting')
      .executeTakeFirst();
    if (!command) return undefined;
    const now = new Date();
    await applyAck(
      tx,
      { tenantId: vehicle.tenantId, deviceId: vehicle.deviceId },
      { cmdId: command.id, result, state, at: now.toISOString() },
      now,
    );
    return command.id;
  });
}

/**
 * Starts a trip while playing the vehicle's lock: answers the unlock as soon as the command is
 * in the outbox (ok → unlocked, rejected → jammed) and returns what startTrip answered.
 */
export async function startTripPlayingLock(
  platform: TestPlatform,
  vehicle: Vehicle,
  reservationId: string,
  token: string,
  answer: 'ok' | 'rejected' = 'ok',
) {
  const pending = platform.gql(START_TRIP, { id: reservationId }, token);
  let acked: string | undefined;
  for (let i = 0; i < 200 && !acked; i++) {
    acked = await ackNewestCommand(
      platform.database.db,
      vehicle,
      answer,
      answer === 'ok' ? 'unlocked' : 'jammed',
    );
    if (!acked) await new Promise((r) => setTimeout(r, 10));
  }
  if (!acked) throw new Error('the unlock of the trip never reached the outbox');
  return (await pending).data.startTrip;
}
