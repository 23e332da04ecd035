import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVehicleType } from '../../stations/station.fixtures.ts';
import { de } from '../src/i18n/messages.de.ts';
import { en } from '../src/i18n/messages.en.ts';
import { DESKTOP, type Page, seriousAxeViolations, startWebWorld, type WebWorld } from './support.ts';

/**
 * A town's operator runs its mobility stations from the app: creates a station, adds a cargo
 * bike with its telematics device, takes it into the workshop and sets one-way returns.
 * Real API, database and Chromium; Soest has a vehicle type and no stations before the test.
 */

const TOWN = 'soest';
const STATION = 'Mobilstation Ulricher Tor';
let world: WebWorld;

beforeAll(async () => {
  world = await startWebWorld();
  await createVehicleType(world.platform.database.db, TOWN, { formFactor: 'cargo_bicycle', code: 'cargo-e' });
});

afterAll(async () => {
  await world?.close();
});

async function expectNoSeriousAxeViolations(page: Page, where: string) {
  const violations = await seriousAxeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

describe('operator station and vehicle management', () => {
  it('creates a station, adds a vehicle, sends it to maintenance and allows one-way trips', async () => {
    const operator = await world.platform.staff(TOWN, 'operator');
    const page = await world.newPage({ token: operator.token, viewport: DESKTOP });
    const shot = (name: string) => world.screenshot(page, `fleet-admin-${name}`);
    const f = de.fleetAdmin;
    await page.goto('/operator');
    const fleet = page.getByRole('region', { name: de.operatorFleet.title });
    await fleet.waitFor();

    // A new station, by keyboard: open the form, fill it in, save with Enter.
    await fleet.getByRole('button', { name: f.newStation }).press('Enter');
    const form = page.getByRole('form', { name: f.newStationTitle });
    await form.getByLabel(f.stationName).fill(STATION);
    await form.getByLabel(de.garageAdmin.lat).fill('51,5741');
    await form.getByLabel(de.garageAdmin.lon).fill('8,1125');
    await form.getByLabel(f.capacity).fill('abc');
    await form.getByRole('button', { name: de.garageAdmin.save }).click();
    await form.getByText(f.invalidCapacity).waitFor(); // checked before anything is sent
    await form.getByLabel(f.capacity).fill('3');
    await form.getByLabel(f.chargingPoints).fill('2');
    await form.getByLabel(f.busStopRef).fill('de:05974:40099');
    await shot('station-form');
    await expectNoSeriousAxeViolations(page, 'station form');
    await form.getByLabel(f.externalRef).press('Enter');
    await page.getByRole('status').getByText(f.stationCreated(STATION)).waitFor();
    const stations = fleet.getByRole('table', { name: de.operatorFleet.stations });
    await stations
      .getByRole('row', { name: new RegExp(STATION) })
      .getByText('0 / 3')
      .waitFor();

    // A cargo bike at the new station, with a telematics device the system has not seen yet.
    await fleet.getByRole('button', { name: f.newVehicle }).click();
    const vehicleForm = page.getByRole('form', { name: f.newVehicleTitle });
    await vehicleForm.getByLabel(f.label).fill('SOE-L09');
    await vehicleForm.getByLabel(f.device).fill('soe-lock-09');
    await vehicleForm.getByLabel(f.homeStation).selectOption({ label: STATION });
    await vehicleForm.getByRole('button', { name: de.garageAdmin.save }).click();
    await page.getByRole('status').getByText(f.vehicleCreated('SOE-L09')).waitFor();
    const vehicles = fleet.getByRole('table', { name: de.operatorFleet.vehicles });
    const row = vehicles.getByRole('row', { name: /SOE-L09/ });
    await row.getByText(de.operatorFleet.vehicleStatus.AVAILABLE).waitFor();
    await row.getByText('soe-lock-09').waitFor();
    await stations
      .getByRole('row', { name: new RegExp(STATION) })
      .getByText('1 / 3')
      .waitFor();
    await shot('vehicle-added');
    await expectNoSeriousAxeViolations(page, 'fleet with a new vehicle');

    // Into the workshop, in English.
    await page.getByRole('button', { name: 'English' }).click();
    const fleetEn = page.getByRole('region', { name: en.operatorFleet.title });
    const rowEn = fleetEn
      .getByRole('table', { name: en.operatorFleet.vehicles })
      .getByRole('row', { name: /SOE-L09/ });
    await rowEn.getByRole('button', { name: en.fleetAdmin.editVehicle('SOE-L09') }).click();
    const edit = page.getByRole('form', { name: en.fleetAdmin.editVehicle('SOE-L09') });
    await edit.getByLabel(en.fleetAdmin.status).selectOption({ label: en.fleetAdmin.maintenance });
    await edit.getByRole('button', { name: en.garageAdmin.save }).click();
    await page.getByRole('status').getByText(en.fleetAdmin.vehicleSaved('SOE-L09')).waitFor();
    await rowEn.getByText(en.operatorFleet.vehicleStatus.MAINTENANCE).waitFor();

    await fleetEn.getByLabel(en.fleetAdmin.oneWay).check();
    await page.getByRole('status').getByText(en.fleetAdmin.oneWaySaved(true)).waitFor();
    await shot('vehicle-maintenance-en');

    // The town's trip price for cargo bikes: 3 € per started hour, at most 20 € a day.
    const fe = en.fleetAdmin;
    await fleetEn.getByRole('button', { name: fe.setTripTariff }).click();
    const tariffForm = page.getByRole('form', { name: fe.setTripTariff });
    await tariffForm.getByLabel(fe.formFactor).selectOption({ label: en.stations.formFactors.CARGO_BICYCLE });
    await tariffForm.getByLabel(fe.tariffName).fill('Cargo bike ride');
    await tariffForm.getByLabel(fe.hourPrice).fill('3.00');
    await tariffForm.getByLabel(fe.dayPrice).fill('20');
    await tariffForm.getByRole('button', { name: en.garageAdmin.save }).click();
    await page.getByRole('status').getByText(fe.tripTariffSaved('Cargo bike ride')).waitFor();
    const tariffRow = fleetEn
      .getByRole('table', { name: fe.tripTariffs })
      .getByRole('row', { name: /Cargo bike ride/ });
    await tariffRow.getByText('€3.00').waitFor();
    await tariffRow.getByText('€20.00').waitFor();
    await shot('trip-tariff-en');
    await expectNoSeriousAxeViolations(page, 'fleet with trip tariffs');

    const api = await world.platform.gql(
      `query { mobilityStations(tenant: "soest") { edges { node { name vehicleCapacity chargingPoints
        oneWayReturns busStop { ref } vehicles { label status deviceId type { code } } } } } }`,
      {},
      operator.token,
    );
    expect(api.data.mobilityStations.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        name: STATION,
        vehicleCapacity: 3,
        chargingPoints: 2,
        oneWayReturns: true,
        busStop: { ref: 'de:05974:40099' },
        vehicles: [
          { label: 'SOE-L09', status: 'MAINTENANCE', deviceId: 'soe-lock-09', type: { code: 'cargo-e' } },
        ],
      },
    ]);
  });
});
