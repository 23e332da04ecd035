import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import {
  createStation,
  createVehicle,
  createVehicleType,
  reportFromDevice,
  setOneWayReturns,
  startTripPlayingLock,
} from './station.fixtures.ts';
import { END_TRIP, RESERVE_VEHICLE, reserveInput } from './station.operations.fixtures.ts';
import type { MobilityStation } from './station.ts';
import { vehicleRepository } from './vehicle.repository.ts';
import type { Vehicle } from './vehicle.ts';

/** Returns to a full station, on real PostgreSQL: refused, and exactly one winner for the last place. */
type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;
const TOWN = 'olpe';

beforeAll(async () => {
  platform = await createTestPlatform({ env: { LOCK_COMMAND_TIMEOUT_MS: '3000' } });
  await setOneWayReturns(platform.database.db, TOWN, true);
});
afterAll(async () => {
  await platform?.dropDatabase();
});

/** A rider out on a trip with `vehicle`, lock already reported closed. */
async function riding(vehicle: Vehicle, name: string) {
  const rider = await platform.commuter(name);
  const reserved = await platform.gql(
    RESERVE_VEHICLE,
    reserveInput(vehicle.id, new Date(), hoursFromNow(2), name),
    rider.token,
  );
  const trip = await startTripPlayingLock(platform, vehicle, reserved.data.reserveVehicle.id, rider.token);
  expect(trip.status).toBe('ACTIVE');
  await reportFromDevice(platform.database.db, vehicle, { door: 'door_closed' });
  return { rider, tripId: trip.id as string };
}

async function fleet(count: number, home: MobilityStation) {
  const type = await createVehicleType(platform.database.db, TOWN);
  const vehicles: Vehicle[] = [];
  for (let i = 0; i < count; i++) vehicles.push(await createVehicle(platform.database.db, home, type));
  return { type, vehicles };
}

describe('returning to a full station', () => {
  it('is refused with StationFullError naming the station; the trip stays active and ends elsewhere', async () => {
    const db = platform.database.db;
    const home = await createStation(db, TOWN, { vehicleCapacity: 4 });
    const full = await createStation(db, TOWN, { vehicleCapacity: 1 });
    const { type, vehicles } = await fleet(1, home);
    await createVehicle(db, full, type);
    const { rider, tripId } = await riding(vehicles[0]!, 'full');

    const refused = await platform.gql(END_TRIP, { trip: tripId, station: full.id }, rider.token);
    expect(refused.data.endTrip).toMatchObject({ __typename: 'StationFullError', stationId: full.id });
    const trip = await platform.gql(
      'query($id: ID!) { trip(id: $id) { status } }',
      { id: tripId },
      rider.token,
    );
    expect(trip.data.trip.status).toBe('ACTIVE');

    const station = await platform.gql(
      'query($id: ID!) { mobilityStation(id: $id) { vehiclesParked freePlaces } }',
      { id: full.id },
      rider.token,
    );
    expect(station.data.mobilityStation).toEqual({ vehiclesParked: 1, freePlaces: 0 });
    const home2 = await platform.gql(END_TRIP, { trip: tripId, station: home.id }, rider.token);
    expect(home2.data.endTrip.status).toBe('COMPLETED');
  });

  it('six riders racing for the last place: exactly one gets it, five get StationFullError', async () => {
    const db = platform.database.db;
    const home = await createStation(db, TOWN, { vehicleCapacity: 10 });
    const target = await createStation(db, TOWN, { vehicleCapacity: 2 });
    const { type, vehicles } = await fleet(6, home);
    await createVehicle(db, target, type);
    const riders = [];
    for (const [i, v] of vehicles.entries()) riders.push(await riding(v, `racer${i}`));

    const results = await Promise.all(
      riders.map((r) => platform.gql(END_TRIP, { trip: r.tripId, station: target.id }, r.rider.token)),
    );
    const typenames = results.map((r) => r.data.endTrip.__typename);
    expect(typenames.filter((t) => t === 'Trip')).toHaveLength(1);
    expect(typenames.filter((t) => t === 'StationFullError')).toHaveLength(5);
    const parked = await sql<{
      n: string;
    }>`select count(*) as n from vehicle where station_id = ${target.id}`.execute(db);
    expect(Number(parked.rows[0]!.n)).toBe(2);
  });

  it('the database refuses a full station whoever asks: the capacity trigger, not only the service, decides', async () => {
    const db = platform.database.db;
    const a = await createStation(db, TOWN, { vehicleCapacity: 1 });
    const b = await createStation(db, TOWN, { vehicleCapacity: 1 });
    const { vehicles } = await fleet(1, a);
    const type = await createVehicleType(db, TOWN);
    await createVehicle(db, b, type);
    // Straight through the repository as the system, skipping every service check.
    await expect(
      withActor(db, systemActor, (tx) => vehicleRepository.update(tx, vehicles[0]!.id, { stationId: b.id })),
    ).rejects.toMatchObject({ code: '23514' });
    // Operators moving vehicles meet the same rule as a typed error.
    const operator = await platform.staff(TOWN, 'operator');
    const moved = await platform.gql(
      'mutation($id: ID!, $s: ID) { updateSharedVehicle(id: $id, stationId: $s) { __typename ... on StationFullError { stationId } } }',
      { id: vehicles[0]!.id, s: b.id },
      operator.token,
    );
    expect(moved.data.updateSharedVehicle).toEqual({ __typename: 'StationFullError', stationId: b.id });
  });
});
