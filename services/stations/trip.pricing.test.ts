import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform } from '../../test/support/platform.ts';
import { ManualClock } from '../core/clock.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { tariffRepository } from '../payments/tariff.repository.ts';
import {
  createStation,
  createVehicle,
  createVehicleType,
  reportFromDevice,
  startTripPlayingLock,
} from './station.fixtures.ts';
import { END_TRIP, RESERVE_VEHICLE, reserveInput } from './station.operations.fixtures.ts';

/**
 * Trips priced through the payments tariffs: the expected price before reserving (tripQuote)
 * and the price the server stores when the trip ends, with its lines and VAT. The clock is
 * manual so a ride of 2 h 10 min takes no real time; the lock is played as in
 * trip.lifecycle.test.ts.
 */
type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;
// A minute behind real time: the device reports below are stamped with the real time.
const start = new Date(Date.now() - 60_000);
const clock = new ManualClock(start);
const HOUR = 3_600_000;
const STATION = { lat: 51.3965, lon: 8.0645 };

const QUOTE = `
  query($vehicle: ID!, $from: DateTime!, $to: DateTime!) {
    tripQuote(vehicleId: $vehicle, from: $from, to: $to) {
      __typename
      ... on TripQuote {
        amountCents vatCents vatRateBasisPoints currency tariffName lines { unit quantity amountCents }
      }
      ... on ValidationError { field }
    }
  }`;

const TRIP_PRICE = `
  query($id: ID!) {
    trip(id: $id) { priceStatus priceCents priceCurrency priceVatCents priceVatRateBasisPoints payment
      priceLines { unit quantity unitPriceCents amountCents } }
  }`;

beforeAll(async () => {
  platform = await createTestPlatform({ clock, env: { LOCK_COMMAND_TIMEOUT_MS: '3000' } });
  await withActor(platform.database.db, systemActor, (tx) =>
    tariffRepository.insertForVehicles(tx, 'arnsberg', 'cargo_bicycle', {
      name: 'Lastenrad-Fahrt',
      hour_cents: 250,
      day_cents: 1800,
      vat_rate_bp: 1900,
    }),
  );
});
afterAll(async () => {
  await platform?.dropDatabase();
});

async function cargoBike(tenantId: string) {
  const db = platform.database.db;
  const station = await createStation(db, tenantId, { ...STATION, vehicleCapacity: 4 });
  const type = await createVehicleType(db, tenantId, { formFactor: 'cargo_bicycle' });
  return { station, vehicle: await createVehicle(db, station, type) };
}

const quote = (vehicle: string, hours: number) =>
  platform.gql(QUOTE, {
    vehicle,
    from: clock.now().toISOString(),
    to: new Date(clock.now().getTime() + hours * HOUR).toISOString(),
  });

describe('trip prices from the town’s tariffs', () => {
  it('quotes started hours with the day price as a cap, and nothing where the town has no trip tariff', async () => {
    const { vehicle } = await cargoBike('arnsberg');
    const twoHours = (await quote(vehicle.id, 2)).data.tripQuote;
    expect(twoHours).toEqual({
      __typename: 'TripQuote',
      amountCents: 500,
      vatCents: 80, // 19 % contained in 5,00 €
      vatRateBasisPoints: 1900,
      currency: 'EUR',
      tariffName: 'Lastenrad-Fahrt',
      lines: [{ unit: 'HOUR', quantity: 2, amountCents: 500 }],
    });
    // 10 hours would be 25,00 €: the day price of 18,00 € caps it.
    expect((await quote(vehicle.id, 10)).data.tripQuote.lines).toEqual([
      { unit: 'DAY', quantity: 1, amountCents: 1800 },
    ]);
    expect((await quote(vehicle.id, -1)).data.tripQuote).toEqual({
      __typename: 'ValidationError',
      field: 'to',
    });
    const { vehicle: elsewhere } = await cargoBike('soest');
    expect((await quote(elsewhere.id, 2)).data.tripQuote).toBeNull();
  });

  it('stores the price, its lines and VAT on the trip when it ends, to be settled on site or by invoice', async () => {
    const { station, vehicle } = await cargoBike('arnsberg');
    const rider = await platform.commuter('priced-rider');
    const reserved = await platform.gql(
      RESERVE_VEHICLE,
      reserveInput(vehicle.id, clock.now(), new Date(clock.now().getTime() + 3 * HOUR), 'priced'),
      rider.token,
    );
    const trip = await startTripPlayingLock(platform, vehicle, reserved.data.reserveVehicle.id, rider.token);
    expect(trip.status).toBe('ACTIVE');
    expect((await platform.gql(TRIP_PRICE, { id: trip.id }, rider.token)).data.trip).toMatchObject({
      priceStatus: 'OPEN',
      priceCents: null,
      payment: 'NONE',
    });

    await reportFromDevice(platform.database.db, vehicle, { door: 'door_closed', position: STATION });
    clock.advance(2 * HOUR + 10 * 60_000); // 2 h 10 min: three started hours
    const ended = await platform.gql(END_TRIP, { trip: trip.id, station: station.id }, rider.token);
    expect(ended.data.endTrip).toMatchObject({ status: 'COMPLETED', priceStatus: 'QUOTED', priceCents: 750 });
    expect((await platform.gql(TRIP_PRICE, { id: trip.id }, rider.token)).data.trip).toEqual({
      priceStatus: 'QUOTED',
      priceCents: 750,
      priceCurrency: 'EUR',
      priceVatCents: 120,
      priceVatRateBasisPoints: 1900,
      payment: 'PAY_ON_SITE_OR_INVOICE',
      priceLines: [{ unit: 'HOUR', quantity: 3, unitPriceCents: 250, amountCents: 750 }],
    });

    // A later tariff change leaves the finished trip as it was priced.
    await withActor(platform.database.db, systemActor, (tx) =>
      tx.updateTable('tariff').set({ hour_cents: 999 }).where('form_factor', '=', 'cargo_bicycle').execute(),
    );
    expect((await platform.gql(TRIP_PRICE, { id: trip.id }, rider.token)).data.trip.priceCents).toBe(750);
  });

  it('an operator replaces the trip tariff of a form factor; planners and other towns may not', async () => {
    const SET = `mutation($input: VehicleTariffInput!) { setVehicleTariff(input: $input) {
      __typename ... on VehicleTariff { name formFactor hourCents dayCents vatRateBasisPoints }
      ... on ValidationError { field } } }`;
    const input = {
      formFactor: 'CARGO_BICYCLE',
      name: 'Lastenrad 2027',
      hourCents: 300,
      vatRateBasisPoints: 1900,
    };
    const operator = await platform.staff('arnsberg', 'operator');
    const set = await platform.gql(SET, { input }, operator.token);
    expect(set.data.setVehicleTariff).toEqual({
      __typename: 'VehicleTariff',
      name: 'Lastenrad 2027',
      formFactor: 'CARGO_BICYCLE',
      hourCents: 300,
      dayCents: null,
      vatRateBasisPoints: 1900,
    });
    const listed = await platform.gql('query { vehicleTariffs(tenant: "arnsberg") { name hourCents } }');
    expect(listed.data.vehicleTariffs).toEqual([{ name: 'Lastenrad 2027', hourCents: 300 }]);
    const { vehicle } = await cargoBike('arnsberg');
    expect((await quote(vehicle.id, 2)).data.tripQuote.amountCents).toBe(600);

    const noPrice = await platform.gql(SET, { input: { ...input, hourCents: null } }, operator.token);
    expect(noPrice.data.setVehicleTariff).toEqual({ __typename: 'ValidationError', field: 'hourCents' });
    const planner = await platform.staff('arnsberg', 'planner');
    expect((await platform.gql(SET, { input }, planner.token)).data.setVehicleTariff.__typename).toBe(
      'ForbiddenError',
    );
    // Another town's operator sets their own town's tariff, never Arnsberg's.
    const soest = await platform.staff('soest', 'operator');
    await platform.gql(SET, { input: { ...input, hourCents: 100 } }, soest.token);
    const after = await platform.gql('query { vehicleTariffs(tenant: "arnsberg") { hourCents } }');
    expect(after.data.vehicleTariffs).toEqual([{ hourCents: 300 }]);
  });
});
