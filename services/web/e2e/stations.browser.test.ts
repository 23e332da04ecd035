import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../../firmware-bridge/contract/topics.ts';
import { type EmbeddedBridge, startEmbeddedBridge } from '../../../firmware-bridge/embedded.ts';
import { createLogger } from '../../core/logging.ts';
import { seedDemoTariffs } from '../../payments/demo-tariffs.ts';
import {
  createStation,
  createVehicle,
  createVehicleType,
  setOneWayReturns,
} from '../../stations/station.fixtures.ts';
import type { MobilityStation } from '../../stations/station.ts';
import type { Vehicle } from '../../stations/vehicle.ts';
import { de } from '../src/i18n/messages.de.ts';
import { en } from '../src/i18n/messages.en.ts';
import { type Page, seriousAxeViolations, startWebWorld, UI_DEADLINE_MS, type WebWorld } from './support.ts';

/**
 * A commuter on a phone reserves a shared cargo bike at one Arnsberg mobility station, unlocks
 * it through the outbox, the embedded bridge and the simulated lock, and returns it at a second
 * station, meeting the typed refusals (station full, lock not closed) on the way.
 *
 * How the return becomes possible (services/stations/trip-return.ts): endTrip reads what the
 * bridge stored about the vehicle's device since the trip was requested — the newest door
 * event must be door_closed with device.door_open false, and the newest position fix (a
 * sensor_reading with lat/lon) must lie within 100 m of the station. The test produces that
 * state only the way a real device would: the simulated device publishes door events and a
 * telemetry message with lat/lon over MQTT, and the bridge ingests them into those rows.
 */

const TOWN = 'arnsberg';
const BAHNHOF = { name: 'Mobilstation Bahnhof Arnsberg', lat: 51.3976, lon: 8.0637 };
const NEUMARKT = { name: 'Mobilstation Neumarkt', lat: 51.3965, lon: 8.0645 };
const EHMSEN = { name: 'Mobilstation Ehmsen', lat: 51.4058, lon: 8.0421 };

let world: WebWorld;
let bridge: EmbeddedBridge;
let start: MobilityStation;
let cargo: Vehicle[];

beforeAll(async () => {
  world = await startWebWorld();
  const db = world.platform.database.db;
  await setOneWayReturns(db, TOWN, true);
  // The demo tariffs: an Arnsberg cargo bike costs 2,50 € per started hour, 18 € at most a day.
  await seedDemoTariffs(db);
  const station = (s: typeof BAHNHOF, vehicleCapacity: number) =>
    createStation(db, TOWN, {
      name: s.name,
      lat: s.lat,
      lon: s.lon,
      city: 'Arnsberg',
      vehicleCapacity,
      chargingPoints: 2,
      busStopName: s.name.replace('Mobilstation ', ''),
    });
  start = await station(BAHNHOF, 6);
  await station(NEUMARKT, 4);
  const full = await station(EHMSEN, 1);
  const cargoType = await createVehicleType(db, TOWN, { formFactor: 'cargo_bicycle', code: 'cargo-e' });
  const bikeType = await createVehicleType(db, TOWN, { formFactor: 'bicycle', code: 'e-bike' });
  cargo = [
    await createVehicle(db, start, cargoType, { label: 'ARN-L01' }),
    await createVehicle(db, start, cargoType, { label: 'ARN-L02' }),
  ];
  await createVehicle(db, full, bikeType, { label: 'ARN-E09' }); // Ehmsen's one place is taken
  // After the vehicles exist: the simulator plays every device that is in the database at start.
  bridge = await startEmbeddedBridge({
    database: world.platform.database,
    logger: createLogger('silent'),
    port: 0,
  });
});

afterAll(async () => {
  await bridge?.close();
  await world?.close();
});

async function expectNoSeriousAxeViolations(page: Page, where: string) {
  const violations = await seriousAxeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

const money = (lang: 'de' | 'en', cents: number) =>
  new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );

/** Waits (without a fixed sleep) until the bridge has stored what the device reported. */
async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + UI_DEADLINE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function doorOpen(vehicle: Vehicle): Promise<boolean | null> {
  const { rows } = await sql<{ door_open: boolean | null }>`
    select door_open from device where tenant_id = ${vehicle.tenantId} and id = ${vehicle.deviceId}`.execute(
    world.platform.database.db,
  );
  return rows[0]?.door_open ?? null;
}

async function fixesAt(vehicle: Vehicle, lat: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from sensor_reading
    where tenant_id = ${vehicle.tenantId} and device_id = ${vehicle.deviceId} and lat = ${lat}`.execute(
    world.platform.database.db,
  );
  return rows[0]!.n;
}

describe('shared cargo bike on a phone', () => {
  it('reserves at one station, unlocks through the simulated lock and returns at another', async () => {
    const rider = await world.platform.commuter('rider');
    const page = await world.newPage({ token: rider.token });
    const shot = (name: string) => world.screenshot(page, `stations-phone-${name}`);

    // The navigation leads to the stations; Arnsberg's three are listed.
    await page.goto('/');
    await page.getByRole('navigation').getByRole('link', { name: de.nav.stations }).click();
    await page.getByRole('heading', { level: 1, name: de.stations.title }).waitFor();
    await page.getByLabel(de.stations.town).selectOption(TOWN);
    await page.locator('li.station-card', { hasText: EHMSEN.name }).waitFor();
    expect(await page.locator('li.station-card').count()).toBe(3);
    await page.getByText(de.stations.noReservations).waitFor();
    await shot('list');
    await expectNoSeriousAxeViolations(page, 'stations');

    // The station page for a fixed window, cargo bikes only: both free.
    const from = new Date(Math.ceil(Date.now() / 900_000) * 900_000);
    const to = new Date(from.getTime() + 2 * 3_600_000);
    await page.getByRole('link', { name: de.stations.open(BAHNHOF.name) }).press('Enter'); // by keyboard
    await page.getByRole('heading', { level: 1, name: BAHNHOF.name }).waitFor();
    const query = new URLSearchParams({
      from: from.toISOString(),
      to: to.toISOString(),
      kind: 'CARGO_BICYCLE',
    });
    await page.goto(`/stations/${start.id}?${query}`);
    const counts = page.getByTestId('free-counts');
    await counts.getByText(de.stations.freeOfKind(de.stations.formFactors.CARGO_BICYCLE, 2)).waitFor();
    await page.getByText(de.stations.mode.charging(2)).waitFor();

    // Someone else reserves one of them: the page learns it from stationChanged.
    const other = await world.platform.commuter('other');
    const taken = await world.platform.gql(
      `mutation($input: ReserveVehicleInput!) { reserveVehicle(input: $input) { __typename } }`,
      { input: { vehicleId: cargo[1]!.id, from, to, idempotencyKey: 'other-1' } },
      other.token,
    );
    expect(taken.data.reserveVehicle.__typename).toBe('VehicleReservation');
    await counts.getByText(de.stations.freeOfKind(de.stations.formFactors.CARGO_BICYCLE, 1)).waitFor();
    // Before reserving: the expected price of the window, from the server (2 started hours).
    await page
      .getByTestId('trip-quotes')
      .getByText(de.tripQuote.ofKind(de.stations.formFactors.CARGO_BICYCLE, money('de', 500)))
      .waitFor();
    await shot('station');
    await expectNoSeriousAxeViolations(page, 'station');

    // Reserve the remaining cargo bike.
    await page.getByRole('button', { name: de.stations.reserve('ARN-L01') }).click();
    await page.getByRole('heading', { level: 1, name: de.trip.title }).waitFor();
    await page.getByTestId('reservation-status').getByText(de.reservationStatus.CONFIRMED).waitFor();
    await page
      .getByTestId('trip-quote')
      .getByText(de.tripQuote.forReservation(money('de', 500)))
      .waitFor();
    await shot('reserved');
    await expectNoSeriousAxeViolations(page, 'reservation');

    // Unlock: the API waits for the simulated lock's ack, and the page says what the lock said.
    await page.getByRole('button', { name: de.trip.start }).click();
    await page.getByTestId('start-answer').getByText(de.trip.lockAnswer.ACKED).waitFor();
    await page.getByRole('heading', { level: 2, name: de.trip.endTitle }).waitFor();
    await page.getByTestId('reservation-status').getByText(de.tripStatus.ACTIVE).waitFor();
    await shot('riding');

    // The simulated lock closes its door a few seconds after the unlock (door_closed over MQTT).
    const bike = cargo[0]!;
    const device = bridge.simulator!.get(TOWN, bike.deviceId)!;
    await until(async () => (await doorOpen(bike)) === false, 'the door to close after the unlock');
    // At the return the rider opens the lock again to stow the load: door_opened.
    await device.sendEvent('door_opened');
    await until(async () => (await doorOpen(bike)) === true, 'door_opened to be stored');

    // Ehmsen's only place is taken: refused before anything else is checked.
    const returnAt = page.getByLabel(de.trip.returnStation);
    const endAnswer = page.getByTestId('end-answer');
    await returnAt.selectOption({ label: `${EHMSEN.name} (${de.stations.parked(1, 1)})` });
    await page.getByRole('button', { name: de.trip.end }).click();
    await endAnswer.getByText(de.trip.errors.stationFull).waitFor();
    await shot('end-station-full');

    // In English: Neumarkt has room, but the lock is open.
    await page.getByRole('button', { name: 'English' }).press('Enter');
    await page.getByTestId('start-answer').getByText(en.trip.lockAnswer.ACKED).waitFor(); // re-worded
    await page
      .getByLabel(en.trip.returnStation)
      .selectOption({ label: `${NEUMARKT.name} (${en.stations.parked(0, 4)})` });
    await page.getByRole('button', { name: en.trip.end }).click();
    await endAnswer.getByText(en.trip.errors.notLocked).waitFor();
    await shot('end-not-locked-en');
    await expectNoSeriousAxeViolations(page, 'end trip with an error');

    // The rider closes the lock at Neumarkt; the tracker reports its GPS fix there.
    await device.sendEvent('door_closed');
    await device.publishRaw(
      deviceTopic(TOWN, bike.deviceId, 'telemetry'),
      JSON.stringify({ lat: NEUMARKT.lat, lon: NEUMARKT.lon, battery: 71, at: new Date().toISOString() }),
    );
    await until(async () => (await doorOpen(bike)) === false, 'door_closed to be stored');
    await until(async () => (await fixesAt(bike, NEUMARKT.lat)) > 0, 'the position fix to be stored');

    await page.getByRole('button', { name: en.trip.end }).click();
    const record = page.getByTestId('trip-record');
    await record.getByRole('heading', { name: en.trip.record }).waitFor();
    await record.getByText(NEUMARKT.name).waitFor();
    await record.getByText(BAHNHOF.name).waitFor();
    await record.getByText(en.trip.positionConfirmed).waitFor();
    // A ride of seconds starts one hour: 2,50 € with 19 % VAT in it, settled on site or by invoice.
    const price = record.getByTestId('trip-price');
    await price.getByText(en.trip.priceStatus.QUOTED(money('en', 250))).waitFor();
    await price.getByText(en.quote.line(1, en.quote.lineUnit.HOUR(1), money('en', 250))).waitFor();
    await price.getByText(en.trip.vatIncluded(money('en', 40), '19')).waitFor();
    await price.getByText(en.trip.payment.PAY_ON_SITE_OR_INVOICE).waitFor();
    await page.getByTestId('reservation-status').getByText(en.reservationStatus.COMPLETED).waitFor();
    await shot('trip-record-en');
    await expectNoSeriousAxeViolations(page, 'trip record');

    // The bike now stands at Neumarkt, and the reservation is listed as completed.
    const api = await world.platform.gql(
      `query($id: ID!) { sharedVehicle(id: $id) { status station { name } } }`,
      { id: bike.id },
    );
    expect(api.data.sharedVehicle).toEqual({ status: 'AVAILABLE', station: { name: NEUMARKT.name } });
    await page.getByRole('navigation').getByRole('link', { name: en.nav.stations }).click();
    const mine = page.getByRole('region', { name: en.stations.myReservations });
    await mine.getByText(en.reservationStatus.COMPLETED, { exact: false }).waitFor();
    await shot('my-reservations-en');
  });
});
