import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';
import { createStation, createVehicle, createVehicleType } from './station.fixtures.ts';
import { RESERVE_VEHICLE, reserveInput } from './station.operations.fixtures.ts';

const platform = useTestPlatform();

async function cargoBike() {
  const station = await createStation(platform.database.db, 'arnsberg');
  const type = await createVehicleType(platform.database.db, 'arnsberg', { formFactor: 'cargo_bicycle' });
  return createVehicle(platform.database.db, station, type);
}

describe('the Saturday-morning race for one cargo bike (real PostgreSQL, 20 pooled connections)', () => {
  it('40 concurrent overlapping reservations give exactly 1 reservation and 39 VehicleUnavailableError', async () => {
    const vehicle = await cargoBike();
    const riders = await Promise.all(Array.from({ length: 40 }, (_, i) => platform.commuter(`rider${i}`)));
    const base = hoursFromNow(26);
    const results = await Promise.all(
      riders.map((r, i) =>
        platform.gql(
          RESERVE_VEHICLE,
          // Overlapping, not identical: every pair shares the hour after `base`.
          reserveInput(
            vehicle.id,
            new Date(base.getTime() - (i % 3) * 3_600_000),
            new Date(base.getTime() + (1 + (i % 4)) * 3_600_000),
            `race-${i}`,
          ),
          r.token,
        ),
      ),
    );
    const typenames = results.map((r) => r.data.reserveVehicle.__typename);
    expect(results.every((r) => r.status === 200 && !r.errors)).toBe(true);
    expect(typenames.filter((t) => t === 'VehicleReservation')).toHaveLength(1);
    expect(typenames.filter((t) => t === 'VehicleUnavailableError')).toHaveLength(39);
    const live = await sql<{ n: string }>`
      select count(*) as n from vehicle_reservation
      where vehicle_id = ${vehicle.id} and status in ('confirmed', 'active')`.execute(platform.database.db);
    expect(Number(live.rows[0]!.n)).toBe(1);
  });

  it('back-to-back reservations of one vehicle all succeed concurrently ([from, to) periods touch, never overlap)', async () => {
    const vehicle = await cargoBike();
    const rider = await platform.commuter('serial');
    const base = hoursFromNow(50);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        platform.gql(
          RESERVE_VEHICLE,
          reserveInput(
            vehicle.id,
            new Date(base.getTime() + i * 3_600_000),
            new Date(base.getTime() + (i + 1) * 3_600_000),
            `slot-${i}`,
          ),
          rider.token,
        ),
      ),
    );
    expect(results.map((r) => r.data.reserveVehicle.__typename)).toEqual(Array(8).fill('VehicleReservation'));
  });

  it('the same idempotency key sent 10 times at once reserves once and answers the same reservation', async () => {
    const vehicle = await cargoBike();
    const rider = await platform.commuter('retry');
    const from = hoursFromNow(30);
    const to = hoursFromNow(32);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        platform.gql(RESERVE_VEHICLE, reserveInput(vehicle.id, from, to, 'tap-tap-tap'), rider.token),
      ),
    );
    const ids = new Set(results.map((r) => r.data.reserveVehicle.id));
    expect(results.map((r) => r.data.reserveVehicle.__typename)).toEqual(
      Array(10).fill('VehicleReservation'),
    );
    expect(ids.size).toBe(1);
    // The same key with another period is a conflict, not a second reservation.
    const other = await platform.gql(
      RESERVE_VEHICLE,
      reserveInput(vehicle.id, hoursFromNow(40), hoursFromNow(41), 'tap-tap-tap'),
      rider.token,
    );
    expect(other.data.reserveVehicle.__typename).toBe('IdempotencyConflictError');
  });

  it('a cancelled reservation frees the period for the next rider', async () => {
    const vehicle = await cargoBike();
    const [first, second] = [await platform.commuter('first'), await platform.commuter('second')];
    const from = hoursFromNow(60);
    const to = hoursFromNow(62);
    const taken = await platform.gql(RESERVE_VEHICLE, reserveInput(vehicle.id, from, to, 'a'), first.token);
    expect(
      (await platform.gql(RESERVE_VEHICLE, reserveInput(vehicle.id, from, to, 'b'), second.token)).data
        .reserveVehicle.__typename,
    ).toBe('VehicleUnavailableError');
    const cancelled = await platform.gql(
      'mutation($id: ID!) { cancelVehicleReservation(id: $id) { __typename ... on VehicleReservation { status } } }',
      { id: taken.data.reserveVehicle.id },
      first.token,
    );
    expect(cancelled.data.cancelVehicleReservation).toEqual({
      __typename: 'VehicleReservation',
      status: 'CANCELLED',
    });
    expect(
      (await platform.gql(RESERVE_VEHICLE, reserveInput(vehicle.id, from, to, 'c'), second.token)).data
        .reserveVehicle.__typename,
    ).toBe('VehicleReservation');
  });
});
