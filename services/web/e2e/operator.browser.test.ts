import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage } from '../../../test/support/fixtures.ts';
import { TEST_PASSWORD } from '../../../test/support/platform.ts';
import { de } from '../src/i18n/messages.de.ts';
import { DESKTOP, seriousAxeViolations, startWebWorld, type WebWorld } from './support.ts';

/**
 * Town staff in the browser: their town's sites and spaces, devices with live alerts, and
 * today's bookings; commuters are kept out. Runs against the real API and database.
 */

let world: WebWorld;
/** A tile server for the optional Leaflet map: every tile is the same small grey PNG. */
let tiles: Server;
const tileRequests: string[] = [];
const GREY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGPo6OgAAAMEAYFL09IQAAAAAElFTkSuQmCC',
  'base64',
);

beforeAll(async () => {
  tiles = createServer((req, res) => {
    tileRequests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' }).end(GREY_PNG);
  });
  await new Promise<void>((done) => tiles.listen(0, '127.0.0.1', done));
  const port = (tiles.address() as AddressInfo).port;
  world = await startWebWorld({ MAP_TILE_URL: `http://127.0.0.1:${port}/tiles/{z}/{x}/{y}.png` });
});

afterAll(async () => {
  await world?.close();
  await new Promise<void>((done) => tiles?.close(() => done()));
});

/** What the bridge writes when a lock reports: its state on the device row. */
async function reportBattery(tenantId: string, deviceId: string, percent: number) {
  await sql`update device set battery_percent = ${percent}, online = true, door_open = false,
      last_seen_at = now(), state_changed_at = now()
    where tenant_id = ${tenantId} and id = ${deviceId}`.execute(world.platform.database.db);
}

describe('operator pages', () => {
  it('show the town’s spaces, devices and today’s bookings, and a new alert as soon as it is raised', async () => {
    const soest = await createGarage(world.platform.database.db, {
      tenantId: 'soest',
      spaces: { STANDARD: 3 },
    });
    const olpe = await createGarage(world.platform.database.db, {
      tenantId: 'olpe',
      spaces: { STANDARD: 1 },
    });
    const [first, second] = soest.spaces as [(typeof soest.spaces)[0], (typeof soest.spaces)[0]];
    await reportBattery('soest', first.lockDeviceId!, 87);

    // A booking today, so the day's list has a row.
    const commuter = await world.platform.commuter('today');
    const from = new Date(Date.now() + 30 * 60_000);
    const booked = await world.platform.gql(
      CREATE_BOOKING,
      {
        input: { spaceId: first.id, from, to: new Date(from.getTime() + 3_600_000), idempotencyKey: 'op-1' },
      },
      commuter.token,
    );
    expect(booked.data.createBooking.__typename).toBe('Booking');

    const operator = await world.platform.staff('soest', 'operator');
    const page = await world.newPage({ token: operator.token });
    await page.goto('/operator');
    await page.getByRole('heading', { level: 1, name: de.operator.title }).waitFor();
    await page.getByRole('link', { name: de.nav.operator }).waitFor();

    // Spaces of the chosen site; the other town's site is not even offered.
    await page.getByLabel(de.operator.site, { exact: true }).selectOption({ label: soest.site.name });
    const spaces = page.getByRole('region', { name: `${de.operator.spaces}: ${soest.site.name}` });
    await spaces.getByText(second.lockDeviceId!).waitFor();
    const offered = await page
      .getByLabel(de.operator.site, { exact: true })
      .locator('option')
      .allTextContents();
    expect(offered).toContain(soest.site.name);
    expect(offered).not.toContain(olpe.site.name);

    // Devices with their reported state; today's booking.
    const devices = page.getByRole('region', { name: de.operator.devices });
    const row = devices.getByRole('row').filter({ hasText: first.lockDeviceId! });
    await row.getByText('87 %').waitFor();
    expect(await devices.getByText(olpe.spaces[0]!.lockDeviceId!).count()).toBe(0);
    const today = page.getByRole('region', { name: de.operator.bookingsToday });
    await today
      .getByRole('row')
      .filter({ hasText: soest.site.name })
      .getByText(de.bookingStatus.HELD)
      .waitFor();
    await page.getByText(de.operator.noAlerts).waitFor();

    // The battery runs low; the reconciliation raises an alert; it arrives over SSE.
    await reportBattery('soest', second.lockDeviceId!, 5);
    await world.platform.runBackgroundOnce();
    const alert = page.getByTestId('alerts').getByRole('listitem').filter({ hasText: second.lockDeviceId! });
    await alert.getByText(de.operator.alertKind.BATTERY_LOW).waitFor();
    await world.screenshot(page, 'de-phone-operator');
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);

    await alert.getByRole('button', { name: de.operator.resolve }).click();
    await page.getByText(de.operator.noAlerts).waitFor();
    const open = await world.platform.gql('{ deviceAlerts { edges { node { id } } } }', {}, operator.token);
    expect(open.data.deviceAlerts.edges).toEqual([]);

    await page.setViewportSize(DESKTOP);
    await world.screenshot(page, 'de-desktop-operator');
  });

  it('keep commuters out', async () => {
    const commuter = await world.platform.commuter('curious');
    const page = await world.newPage();
    await page.goto('/signin');
    await page.getByRole('heading', { level: 1, name: de.auth.signInTitle }).waitFor();
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    await page.getByLabel(de.auth.email).fill(commuter.email);
    await page.getByLabel(de.auth.password).fill('wrong-password-1');
    await page.getByRole('button', { name: de.auth.submitSignIn }).click();
    await page.getByText(de.errors.invalidCredentials).waitFor();
    await page.getByLabel(de.auth.password).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: de.auth.submitSignIn }).click();
    await page.getByRole('link', { name: de.nav.account }).waitFor();
    expect(await page.getByRole('link', { name: de.nav.operator }).count()).toBe(0);
    await page.goto('/operator');
    await page.getByText(de.operator.forbidden).waitFor();
  });
});

describe('map with a tile server', () => {
  it('shows a Leaflet map with the configured tiles instead of the plot', async () => {
    await createGarage(world.platform.database.db, { tenantId: 'menden', spaces: { STANDARD: 1 } });
    const page = await world.newPage();
    await page.goto('/');
    await page
      .getByRole('region', { name: de.find.mapTitle })
      .locator('.leaflet-tile-loaded')
      .first()
      .waitFor();
    await page.locator('.leaflet-interactive').first().waitFor(); // a site marker
    expect(tileRequests.some((url) => /^\/tiles\/\d+\/\d+\/\d+\.png$/.test(url))).toBe(true);
    expect(await page.getByRole('img', { name: de.find.plotTitle }).count()).toBe(0);
    await page.getByText('© OpenStreetMap contributors').waitFor();
    await world.screenshot(page, 'de-phone-find-leaflet');
  });
});
