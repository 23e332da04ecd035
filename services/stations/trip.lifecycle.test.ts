import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';
import { ManualClock } from '../core/clock.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import {
  createStation,
  createVehicle,
  createVehicleType,
  reportFromDevice,
  setOneWayReturns,
  startTripPlayingLock,
} from './station.fixtures.ts';
import { END_TRIP, RESERVE_VEHICLE, reserveInput, START_TRIP } from './station.operations.fixtures.ts';
import { sweepStations } from './station-lifecycle.ts';
import type { Vehicle } from './vehicle.ts';

/**
 * The trip lifecycle through GraphQL on real PostgreSQL, without MQTT: the device's side is
 * written exactly as the firmware bridge writes it (its applyAck and ingest repository).
 * trip.simulator.test.ts plays the same with the embedded bridge and the device simulator.
 */
type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;

beforeAll(async () => {
  platform = await createTestPlatform({ env: { LOCK_COMMAND_TIMEOUT_MS: '3000' } });
  await setOneWayReturns(platform.database.db, 'arnsberg', false);
});
afterAll(async () => {
  await platform?.dropDatabase();
});

const NEUMARKT = { lat: 51.3965, lon: 8.0645 };
const BAHNHOF = { lat: 51.3979, lon: 8.0631 };

async function stationWithBike(tenantId = 'arnsberg', position = NEUMARKT) {
  const db = platform.database.db;
  const station = await createStation(db, tenantId, { ...position, vehicleCapacity: 4 });
  const type = await createVehicleType(db, tenantId, { formFactor: 'cargo_bicycle' });
  const vehicle = await createVehicle(db, station, type);
  return { station, type, vehicle };
}

async function reserveNow(vehicle: Vehicle, token: string, key = 'now') {
  const result = await platform.gql(
    RESERVE_VEHICLE,
    reserveInput(vehicle.id, new Date(), hoursFromNow(2), key),
    token,
  );
  expect(result.data.reserveVehicle.__typename).toBe('VehicleReservation');
  return result.data.reserveVehicle.id as string;
}

describe('a cargo bike trip from reservation to return', () => {
  it('unlocks through the outbox, refuses to end until the lock is closed and the bike stands at the station, then completes', async () => {
    const { station, vehicle } = await stationWithBike();
    const rider = await platform.commuter('rider');
    const reservationId = await reserveNow(vehicle, rider.token);

    const trip = await startTripPlayingLock(platform, vehicle, reservationId, rider.token);
    expect(trip).toMatchObject({
      __typename: 'Trip',
      status: 'ACTIVE',
      startStation: { id: station.id },
      unlockCommand: { status: 'ACKED', deviceState: 'unlocked' },
    });
    const during = await platform.gql(
      `query($id: ID!) { sharedVehicle(id: $id) { status station { id } } currentTrip { id } }`,
      { id: vehicle.id },
      rider.token,
    );
    expect(during.data).toEqual({
      sharedVehicle: { status: 'IN_USE', station: null },
      currentTrip: { id: trip.id },
    });

    // The lock opened and is still open.
    await reportFromDevice(platform.database.db, vehicle, { door: 'door_opened' });
    let ended = await platform.gql(END_TRIP, { trip: trip.id, station: station.id }, rider.token);
    expect(ended.data.endTrip.__typename).toBe('VehicleNotLockedError');

    // Closed, but the last position fix is 600 m away.
    await reportFromDevice(platform.database.db, vehicle, { door: 'door_closed', position: BAHNHOF });
    await reportFromDevice(platform.database.db, vehicle, { position: { lat: 51.4019, lon: 8.07 } });
    ended = await platform.gql(END_TRIP, { trip: trip.id, station: station.id }, rider.token);
    expect(ended.data.endTrip.__typename).toBe('VehicleNotAtStationError');
    expect(ended.data.endTrip.metersFromStation).toBeGreaterThan(500);

    await reportFromDevice(platform.database.db, vehicle, { position: { lat: 51.3966, lon: 8.0646 } });
    ended = await platform.gql(END_TRIP, { trip: trip.id, station: station.id }, rider.token);
    expect(ended.data.endTrip).toMatchObject({
      __typename: 'Trip',
      status: 'COMPLETED',
      positionConfirmed: true,
      priceStatus: 'UNPRICED',
      priceCents: null,
      endStation: { id: station.id },
      reservation: { status: 'COMPLETED' },
      vehicle: { status: 'AVAILABLE', station: { id: station.id } },
    });
    expect(ended.data.endTrip.durationSeconds).toBeGreaterThanOrEqual(0);
    // Station → Bahnhof → 600 m further → back: well over a kilometre along the fixes.
    expect(ended.data.endTrip.distanceMeters).toBeGreaterThan(1000);

    const after = await withActor(platform.database.db, systemActor, (tx) =>
      tx.selectFrom('vehicle').select('public_id').where('id', '=', vehicle.id).executeTakeFirstOrThrow(),
    );
    expect(after.public_id).not.toBe(vehicle.publicId);
    const again = await platform.gql(END_TRIP, { trip: trip.id, station: station.id }, rider.token);
    expect(again.data.endTrip.__typename).toBe('TripStateError');
  });

  it('only the reserver starts, only near the reserved start, and staff do not ride', async () => {
    const { vehicle } = await stationWithBike();
    const rider = await platform.commuter('owner');
    const later = await platform.gql(
      RESERVE_VEHICLE,
      reserveInput(vehicle.id, hoursFromNow(3), hoursFromNow(5), 'later'),
      rider.token,
    );
    const id = later.data.reserveVehicle.id;
    const stranger = await platform.commuter('stranger');
    expect((await platform.gql(START_TRIP, { id }, stranger.token)).data.startTrip.__typename).toBe(
      'NotFoundError',
    );
    expect((await platform.gql(START_TRIP, { id }, rider.token)).data.startTrip.__typename).toBe(
      'TripStateError',
    );
    const operator = await platform.staff('arnsberg', 'operator');
    expect((await platform.gql(START_TRIP, { id }, operator.token)).data.startTrip.__typename).toBe(
      'ForbiddenError',
    );
    const commands = await withActor(platform.database.db, systemActor, (tx) =>
      tx.selectFrom('device_command').select('id').where('vehicle_id', '=', vehicle.id).execute(),
    );
    expect(commands).toEqual([]);
  });

  it('a lock that never answers fails the trip and leaves the reservation and the bike as they were', async () => {
    const { station, vehicle } = await stationWithBike();
    const rider = await platform.commuter('silent');
    const reservationId = await reserveNow(vehicle, rider.token);
    const result = await platform.gql(START_TRIP, { id: reservationId }, rider.token);
    expect(result.data.startTrip.__typename).toBe('DeviceUnreachableError');
    const state = await platform.gql(
      `query($r: ID!, $v: ID!) { vehicleReservation(id: $r) { status trip { status } } sharedVehicle(id: $v) { status station { id } } }`,
      { r: reservationId, v: vehicle.id },
      rider.token,
    );
    expect(state.data).toEqual({
      vehicleReservation: { status: 'CONFIRMED', trip: { status: 'FAILED' } },
      sharedVehicle: { status: 'AVAILABLE', station: { id: station.id } },
    });
    // A jammed lock answers but does not open.
    const jammed = await startTripPlayingLock(platform, vehicle, reservationId, rider.token, 'rejected');
    expect(jammed).toMatchObject({ __typename: 'UnlockFailedError', deviceState: 'jammed' });
    // The third attempt works.
    expect((await startTripPlayingLock(platform, vehicle, reservationId, rider.token)).status).toBe('ACTIVE');
  });

  it('returns elsewhere only where the town allows one-way trips, never to another town, never where returns are closed', async () => {
    const { station: home, vehicle } = await stationWithBike();
    const db = platform.database.db;
    const bahnhof = await createStation(db, 'arnsberg', { ...BAHNHOF, vehicleCapacity: 2 });
    const closed = await createStation(db, 'arnsberg', { ...BAHNHOF, acceptsReturns: false });
    const soest = await createStation(db, 'soest', { lat: 51.5782, lon: 8.1085 });
    const rider = await platform.commuter('oneway');
    const trip = await startTripPlayingLock(
      platform,
      vehicle,
      await reserveNow(vehicle, rider.token),
      rider.token,
    );
    await reportFromDevice(db, vehicle, { door: 'door_closed' });

    const refusal = async (stationId: string) =>
      (await platform.gql(END_TRIP, { trip: trip.id, station: stationId }, rider.token)).data.endTrip;
    expect(await refusal(bahnhof.id)).toMatchObject({
      __typename: 'ReturnNotAllowedError',
      reason: 'ONE_WAY_NOT_ALLOWED',
    });
    expect(await refusal(soest.id)).toMatchObject({
      __typename: 'ReturnNotAllowedError',
      reason: 'OTHER_TOWN',
    });
    expect(await refusal(closed.id)).toMatchObject({
      __typename: 'ReturnNotAllowedError',
      reason: 'NOT_ACCEPTING_RETURNS',
    });

    await setOneWayReturns(db, 'arnsberg', true);
    try {
      // Somebody reserved the bike for tomorrow at its home station: it must go back there.
      const next = await platform.commuter('tomorrow');
      const tomorrow = await platform.gql(
        RESERVE_VEHICLE,
        reserveInput(vehicle.id, hoursFromNow(26), hoursFromNow(28), 'tomorrow'),
        next.token,
      );
      expect(tomorrow.data.reserveVehicle.station.id).toBe(home.id);
      expect(await refusal(bahnhof.id)).toMatchObject({
        __typename: 'ReturnNotAllowedError',
        reason: 'RESERVED_ELSEWHERE',
      });
      await platform.gql(
        'mutation($id: ID!) { cancelVehicleReservation(id: $id) { __typename } }',
        { id: tomorrow.data.reserveVehicle.id },
        next.token,
      );
      const ended = await refusal(bahnhof.id);
      expect(ended).toMatchObject({
        status: 'COMPLETED',
        positionConfirmed: false,
        startStation: { id: home.id },
        endStation: { id: bahnhof.id },
        vehicle: { station: { id: bahnhof.id } },
      });
      // No fixes: the straight line between the two stations (about 180 m).
      expect(ended.distanceMeters).toBeGreaterThan(150);
      expect(ended.distanceMeters).toBeLessThan(220);
    } finally {
      await setOneWayReturns(db, 'arnsberg', false);
    }
  });

  it('a reservation nobody starts becomes NO_SHOW after the town’s grace and frees the bike', async () => {
    const { vehicle } = await stationWithBike();
    const rider = await platform.commuter('noshow');
    const from = hoursFromNow(1);
    const reserved = await platform.gql(
      RESERVE_VEHICLE,
      reserveInput(vehicle.id, from, hoursFromNow(3), 'ns'),
      rider.token,
    );
    const id = reserved.data.reserveVehicle.id;
    // Arnsberg's no-show grace is 30 minutes: at 29 nothing happens, at 31 the reservation lapses.
    await sweepStations(platform.database.db, new ManualClock(new Date(from.getTime() + 29 * 60_000)));
    const status = async () =>
      (await platform.gql('query($id: ID!) { vehicleReservation(id: $id) { status } }', { id }, rider.token))
        .data.vehicleReservation.status;
    expect(await status()).toBe('CONFIRMED');
    await sweepStations(platform.database.db, new ManualClock(new Date(from.getTime() + 31 * 60_000)));
    expect(await status()).toBe('NO_SHOW');
    const other = await platform.commuter('other');
    const retake = await platform.gql(
      RESERVE_VEHICLE,
      reserveInput(vehicle.id, hoursFromNow(2), hoursFromNow(3), 'retake'),
      other.token,
    );
    expect(retake.data.reserveVehicle.__typename).toBe('VehicleReservation');
  });
});
