import { describe, expect, it } from 'vitest';
import { hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';
import { createStation, createVehicle, createVehicleType } from './station.fixtures.ts';
import { RESERVE_VEHICLE, reserveInput } from './station.operations.fixtures.ts';

/**
 * The paged lists (garages/record-pages.ts, shared with bookings and trips): a rider's own
 * reservations newest first, the town's overlapping a window oldest first, page by page.
 */
const platform = useTestPlatform();

describe('reservation lists', () => {
  it('lists mine newest first and the town’s in a window oldest first, in pages', async () => {
    const db = platform.database.db;
    const station = await createStation(db, 'arnsberg', { lat: 51.4, lon: 8.06, vehicleCapacity: 3 });
    const vehicle = await createVehicle(db, station, await createVehicleType(db, 'arnsberg'));
    const rider = await platform.commuter('lister');
    const hourOf = new Map<string, number>();
    for (const h of [30, 2, 10]) {
      const r = await platform.gql(
        RESERVE_VEHICLE,
        reserveInput(vehicle.id, hoursFromNow(h), hoursFromNow(h + 1), `r${h}`),
        rider.token,
      );
      expect(r.data.reserveVehicle.__typename).toBe('VehicleReservation');
      hourOf.set(r.data.reserveVehicle.from, h);
    }
    const startsOf = (edges: { node: { from: string } }[]) => edges.map((e) => hourOf.get(e.node.from));
    const mine = await platform.gql(
      `query($after: String) { myVehicleReservations(first: 2, after: $after) {
        edges { node { from } } pageInfo { endCursor hasNextPage } } }`,
      {},
      rider.token,
    );
    expect(startsOf(mine.data.myVehicleReservations.edges)).toEqual([30, 10]);
    const next = await platform.gql(
      `query($after: String) { myVehicleReservations(first: 2, after: $after) { edges { node { from } } } }`,
      { after: mine.data.myVehicleReservations.pageInfo.endCursor },
      rider.token,
    );
    expect(startsOf(next.data.myVehicleReservations.edges)).toEqual([2]);

    const operator = await platform.staff('arnsberg', 'operator');
    const town = await platform.gql(
      `query($from: DateTime!, $to: DateTime!) { tenantVehicleReservations(from: $from, to: $to) {
        edges { node { from } } } }`,
      { from: hoursFromNow(1.5).toISOString(), to: hoursFromNow(10.5).toISOString() },
      operator.token,
    );
    expect(startsOf(town.data.tenantVehicleReservations.edges)).toEqual([2, 10]);
  });
});
