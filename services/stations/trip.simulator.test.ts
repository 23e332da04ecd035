import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../firmware-bridge/contract/topics.ts';
import { type EmbeddedBridge, startEmbeddedBridge } from '../../firmware-bridge/embedded.ts';
import { eventually } from '../../firmware-bridge/test-support/wait.ts';
import { hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';
import { createLogger } from '../core/logging.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { createStation, createVehicle, createVehicleType, setOneWayReturns } from './station.fixtures.ts';
import { END_TRIP, RESERVE_VEHICLE, reserveInput, START_TRIP } from './station.operations.fixtures.ts';
import type { MobilityStation } from './station.ts';
import type { Vehicle } from './vehicle.ts';

/**
 * A one-way cargo bike trip between two stations with the real device side: the embedded
 * broker (aedes), the firmware bridge and the device simulator playing the bike's lock, as
 * `npm start` runs them, on real PostgreSQL. The simulator opens the lock on the signed
 * command, reports the door opened, and closes it again after its door delay (5 s).
 */
type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;
let embedded: EmbeddedBridge;
let from: MobilityStation;
let to: MobilityStation;
let bike: Vehicle;
const TOWN = 'menden';

beforeAll(async () => {
  platform = await createTestPlatform({ env: { LOCK_COMMAND_TIMEOUT_MS: '5000' } });
  const db = platform.database.db;
  await setOneWayReturns(db, TOWN, true);
  from = await createStation(db, TOWN, { lat: 51.4407, lon: 7.7941, vehicleCapacity: 4 });
  to = await createStation(db, TOWN, { lat: 51.4434, lon: 7.8005, vehicleCapacity: 4 });
  bike = await createVehicle(db, from, await createVehicleType(db, TOWN, { formFactor: 'cargo_bicycle' }));
  // Provisions the bike's device secret and starts a simulated device for it.
  embedded = await startEmbeddedBridge({
    database: platform.database,
    logger: createLogger('silent'),
    port: 0,
  });
});
afterAll(async () => {
  await embedded?.close();
  await platform?.dropDatabase();
});

async function door(): Promise<boolean | null> {
  const row = await withActor(platform.database.db, systemActor, (tx) =>
    tx
      .selectFrom('device')
      .select('door_open')
      .where('tenant_id', '=', TOWN)
      .where('id', '=', bike.deviceId)
      .executeTakeFirstOrThrow(),
  );
  return row.door_open;
}

describe('trip with the device simulator over MQTT', () => {
  it('reserve, unlock (simulator acks), refuse while open, return one-way once closed and at the station', async () => {
    const rider = await platform.commuter('sim-rider');
    const reserved = await platform.gql(
      RESERVE_VEHICLE,
      reserveInput(bike.id, new Date(), hoursFromNow(2), 'sim'),
      rider.token,
    );
    const started = await platform.gql(START_TRIP, { id: reserved.data.reserveVehicle.id }, rider.token);
    expect(started.data.startTrip).toMatchObject({
      __typename: 'Trip',
      status: 'ACTIVE',
      unlockCommand: { status: 'ACKED', deviceState: 'unlocked' },
    });
    const device = embedded.simulator!.get(TOWN, bike.deviceId)!;
    expect([...device.executions.values()]).toEqual([1]);
    const tripId = started.data.startTrip.id;

    // The simulator reports the lock open; ending now is refused.
    await eventually(async () => (await door()) === true, { what: 'door_opened stored' });
    const open = await platform.gql(END_TRIP, { trip: tripId, station: to.id }, rider.token);
    expect(open.data.endTrip.__typename).toBe('VehicleNotLockedError');

    // The rider closes the lock (the simulator's door delay) and parks at the other station.
    await eventually(async () => (await door()) === false, { what: 'door_closed stored', timeoutMs: 20_000 });
    await device.publishRaw(
      deviceTopic(TOWN, bike.deviceId, 'telemetry'),
      JSON.stringify({ lat: 51.4435, lon: 7.8004, battery: 64, at: new Date().toISOString() }),
    );
    await eventually(
      async () =>
        (
          await withActor(platform.database.db, systemActor, (tx) =>
            tx
              .selectFrom('sensor_reading')
              .select('lat')
              .where('device_id', '=', bike.deviceId)
              .where('lat', 'is not', null)
              .executeTakeFirst(),
          )
        )?.lat,
      { what: 'position stored' },
    );
    const ended = (await platform.gql(END_TRIP, { trip: tripId, station: to.id }, rider.token)).data.endTrip;
    expect(ended).toMatchObject({
      status: 'COMPLETED',
      positionConfirmed: true,
      startStation: { id: from.id },
      endStation: { id: to.id },
      vehicle: { status: 'AVAILABLE', station: { id: to.id } },
    });
    expect(ended.distanceMeters).toBeGreaterThan(400);
  });

  it('a lock that does not answer: DeviceUnreachableError, nothing started', async () => {
    embedded.simulator!.setFault(TOWN, bike.deviceId, 'no_answer');
    try {
      const rider = await platform.commuter('sim-silent');
      const reserved = await platform.gql(
        RESERVE_VEHICLE,
        reserveInput(bike.id, new Date(), hoursFromNow(2), 'silent'),
        rider.token,
      );
      const started = await platform.gql(START_TRIP, { id: reserved.data.reserveVehicle.id }, rider.token);
      expect(started.data.startTrip.__typename).toBe('DeviceUnreachableError');
      const vehicle = await platform.gql(
        'query($id: ID!) { sharedVehicle(id: $id) { status station { id } } }',
        {
          id: bike.id,
        },
      );
      expect(vehicle.data.sharedVehicle).toEqual({ status: 'AVAILABLE', station: { id: to.id } });
    } finally {
      embedded.simulator!.setFault(TOWN, bike.deviceId, 'no_answer', false);
    }
  });
});
