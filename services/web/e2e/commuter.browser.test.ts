import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedBridge, startEmbeddedBridge } from '../../../firmware-bridge/embedded.ts';
import { TEST_PASSWORD } from '../../../test/support/platform.ts';
import { createLogger } from '../../core/logging.ts';
import { demoSites } from '../../garages/demo/demo-data.ts';
import { seedDemoData } from '../../garages/demo/seed.ts';
import { de } from '../src/i18n/messages.de.ts';
import { en } from '../src/i18n/messages.en.ts';
import { QR_OPTIONS } from '../src/qr-options.ts';
import { DESKTOP, seriousAxeViolations, startWebWorld, type WebWorld } from './support.ts';

/**
 * A commuter on a phone, in German and in English, through the real app, API and database:
 * sign up, find a garage, book a box, see PIN and QR code, open the box, cancel.
 */

const SOEST = 'Fahrradparkhaus Bahnhof Soest';
let world: WebWorld;
/** aedes, the MQTT bridge and a simulator playing every lock: the unlock gets a real answer. */
let bridge: EmbeddedBridge;
let soestSiteId: string;
let soestStaff: { token: string };

beforeAll(async () => {
  world = await startWebWorld();
  await seedDemoData(world.platform.database.db, world.platform.services);
  const sites = await world.platform.gql(
    `{ sites(tenant: "soest", first: 10) { edges { node { id name } } } }`,
  );
  soestSiteId = sites.data.sites.edges.find((e: any) => e.node.name === SOEST).node.id;
  soestStaff = await world.platform.staff('soest', 'operator');
  // Soest charges for standard boxes (the demo seed gives it a tariff); the test pins the price
  // to 1 € an hour so the amounts below do not move with the demo data. Without Stripe keys the
  // town collects on site.
  await sql`update tariff set hour_cents = 100, day_cents = 600, deposit_cents = 0
            where tenant_id = 'soest' and space_type = 'STANDARD' and retired_at is null`.execute(
    world.platform.database.db,
  );
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

async function lockOf(spaceId: string): Promise<string> {
  const { rows } = await sql<{ lock_device_id: string }>`
    select lock_device_id from space where id = ${spaceId}`.execute(world.platform.database.db);
  return rows[0]!.lock_device_id;
}

/** Staff ask the API whether a PIN or QR token opens the space now: what the lock asks. */
async function accessGranted(spaceId: string, credential: { pin?: string; qrToken?: string }) {
  const result = await world.platform.gql(
    `mutation($input: VerifyAccessInput!) { verifyAccess(input: $input) {
       __typename ... on AccessDecision { granted reason } ... on Error { message } } }`,
    { input: { spaceId, ...credential } },
    soestStaff.token,
  );
  return result.data.verifyAccess;
}

async function expectNoSeriousAxeViolations(page: Awaited<ReturnType<WebWorld['newPage']>>, where: string) {
  const violations = await seriousAxeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** Tomorrow 08:00–10:00 local time, for a booking that can still be cancelled. */
function tomorrowMorning() {
  const from = new Date();
  from.setDate(from.getDate() + 1);
  from.setHours(8, 0, 0, 0);
  return { from, to: new Date(from.getTime() + 2 * 3_600_000) };
}

/** Money as the page writes it in its language. */
const money = (lang: 'de' | 'en', cents: number) =>
  new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );

describe.each([
  ['de', de],
  ['en', en],
] as const)('commuter on a phone (%s)', (lang, t) => {
  it('signs up, books a box, sees PIN and QR code, opens it, and cancels a later booking', async () => {
    const page = await world.newPage();
    const shot = (name: string) => world.screenshot(page, `${lang}-phone-${name}`);

    await page.goto('/signup');
    if (lang === 'en') await page.getByRole('button', { name: 'English' }).press('Enter'); // by keyboard
    await page.getByRole('heading', { level: 1, name: t.auth.signUpTitle }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    if (lang === 'de') await expectNoSeriousAxeViolations(page, 'sign up');
    await page.getByLabel(t.auth.name).fill('Erika Pendel');
    await page.getByLabel(t.auth.email).fill(`erika-${randomBytes(4).toString('hex')}@example.org`);
    await page.getByLabel(t.auth.password).fill(TEST_PASSWORD);
    await shot('signup');
    await page.getByRole('button', { name: t.auth.submitSignUp }).click();

    // Signed in, on the search page: every town's garages as a list and a plot.
    await page.getByRole('heading', { level: 1, name: t.find.title }).waitFor();
    await page.getByRole('link', { name: t.nav.account }).waitFor();
    const card = page.locator('li.site-card', { hasText: SOEST });
    await card.waitFor();
    // Every demo garage is listed (mobility stations with spaces may be listed too).
    for (const site of demoSites)
      await expect(page.locator('li.site-card', { hasText: site.name }).count()).resolves.toBe(1);
    await page.getByRole('img', { name: t.find.plotTitle }).waitFor();
    await shot('find');
    if (lang === 'de') await expectNoSeriousAxeViolations(page, 'find');

    await card.getByRole('link', { name: t.find.bookAt(SOEST) }).click();
    await page.getByRole('heading', { level: 1, name: SOEST }).waitFor();
    await page.getByText(new RegExp(`^${t.spaceType.STANDARD}: \\d+`)).waitFor();
    await page
      .getByTestId('quote')
      .getByText(t.quote.total(money(lang, 200)))
      .waitFor(); // 2 h at 1 €
    await shot('site');
    if (lang === 'de') await expectNoSeriousAxeViolations(page, 'site');

    // Reserve (HELD), then confirm: the PIN appears once, with the QR code.
    await page.getByRole('button', { name: t.site.book }).click();
    await page.getByRole('heading', { level: 1, name: t.booking.title }).waitFor();
    await page.getByTestId('booking-status').getByText(t.bookingStatus.HELD).waitFor();
    await page.getByText(t.booking.payOnSite).waitFor();
    await shot('booking-held');
    await page.getByRole('button', { name: t.booking.confirm }).click();
    await page.getByText(t.booking.confirmed).waitFor();
    await page.getByTestId('booking-status').getByText(t.bookingStatus.CONFIRMED).waitFor();
    await page
      .getByTestId('payment-summary')
      .getByText(t.booking.paymentSummary(t.booking.paymentStates.DUE_ON_SITE, money(lang, 200)))
      .waitFor();
    await page.getByRole('timer').waitFor();
    const pin = (await page.getByTestId('access-pin').textContent())?.trim() ?? '';
    expect(pin).toMatch(/^\d{6}$/);
    await page.getByRole('img', { name: /QR/ }).locator('svg').waitFor();
    await shot('booking-confirmed');
    if (lang === 'de') await expectNoSeriousAxeViolations(page, 'booking');

    // The PIN and QR code on screen are the real credentials of this booking.
    const bookingId = new URL(page.url()).pathname.split('/').pop()!;
    const token = await page.evaluate(() => localStorage.getItem('swf.token'));
    const api = await world.platform.gql(
      `query($id: ID!) { booking(id: $id) { qrToken space { id } } }`,
      { id: bookingId },
      token!,
    );
    const { qrToken, space } = api.data.booking;
    expect(await accessGranted(space.id, { pin })).toMatchObject({ granted: true });
    expect(await accessGranted(space.id, { qrToken })).toMatchObject({ granted: true });
    // Same modules as the token rendered here (the DOM re-serializes the markup, so compare the drawing).
    const drawing = (svg: string) => [...svg.matchAll(/(?:viewBox|d)="([^"]+)"/g)].map((m) => m[1]);
    const expected = drawing(await QRCode.toString(qrToken, QR_OPTIONS));
    expect(expected.length).toBeGreaterThan(1);
    expect(drawing(await page.getByTestId('qr-code').innerHTML())).toEqual(expected);

    // Open the box: the API waits for the lock's answer (through the outbox, the bridge and
    // the simulated lock) and the page shows what the lock said.
    const unlock = page.getByRole('button', { name: t.booking.unlock });
    const answer = page.getByTestId('unlock-answer');
    await unlock.click();
    await answer.getByText(t.booking.lockAnswer.ACKED).waitFor();
    await page.getByTestId('booking-status').getByText(t.bookingStatus.ACTIVE).waitFor(); // the first opening started it
    await shot('booking-unlocked');
    await page.reload();
    await page.getByTestId('booking-status').getByText(t.bookingStatus.ACTIVE).waitFor();
    await page.getByText(t.booking.pinGone).waitFor(); // shown once, gone after a reload
    if (lang === 'en') {
      // A jammed lock answers "failed"; a lock that never answers runs into the timeout.
      const lock = await lockOf(space.id);
      bridge.simulator!.setFault('soest', lock, 'jammed');
      await unlock.click();
      await answer.getByText(t.booking.lockAnswer.FAILED).waitFor();
      bridge.simulator!.setFault('soest', lock, 'jammed', false);
      bridge.simulator!.setFault('soest', lock, 'no_answer');
      await unlock.click();
      await answer.getByText(t.errors.deviceUnreachable).waitFor();
      await shot('booking-unlock-unreachable');
      bridge.simulator!.setFault('soest', lock, 'no_answer', false);
    }

    // A booking for tomorrow, opened from a deep link (the API serves index.html for it).
    const tomorrow = tomorrowMorning();
    const query = new URLSearchParams({ from: tomorrow.from.toISOString(), to: tomorrow.to.toISOString() });
    await page.goto(`/sites/${soestSiteId}?${query}`);
    await page.getByRole('heading', { level: 1, name: SOEST }).waitFor();
    expect(await page.getByLabel(t.find.from).inputValue()).toBe(
      `${tomorrow.from.getFullYear()}-${String(tomorrow.from.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.from.getDate()).padStart(2, '0')}T08:00`,
    );
    await page.getByRole('button', { name: t.site.book }).click();
    await page.getByRole('button', { name: t.booking.confirm }).click();
    await page.getByTestId('booking-status').getByText(t.bookingStatus.CONFIRMED).waitFor();
    await page.getByText(t.booking.startsIn).waitFor();

    await page.getByRole('button', { name: t.booking.cancel }).click();
    await page.getByText(t.booking.cancelAsk).waitFor();
    await page.getByTestId('refund').getByText(t.booking.nothingPaid).waitFor();
    await shot('booking-cancel-ask');
    await page.getByRole('button', { name: t.booking.cancelYes }).click();
    await page.getByText(t.booking.cancelled).waitFor();
    await page.getByTestId('booking-status').getByText(t.bookingStatus.CANCELLED).waitFor();
    await shot('booking-cancelled');

    // My account lists both: the opened one (ACTIVE) and the cancelled one.
    await page.getByRole('link', { name: t.nav.account }).click();
    await page.getByRole('heading', { level: 1, name: t.account.title }).waitFor();
    const bookings = page.getByRole('region', { name: t.account.bookings }).getByRole('listitem');
    await bookings.nth(1).waitFor();
    expect(await bookings.count()).toBe(2);
    await page.getByText(t.bookingStatus.ACTIVE, { exact: true }).waitFor();
    await page.getByText(t.bookingStatus.CANCELLED, { exact: true }).waitFor();
    await shot('account');
    if (lang === 'de') await expectNoSeriousAxeViolations(page, 'account');
  });
});

describe('desktop and live updates', () => {
  it('shows the search and a site side by side on a desktop, and free counts update live over SSE', async () => {
    const page = await world.newPage({ viewport: DESKTOP });
    await page.goto('/');
    await page.locator('li.site-card', { hasText: SOEST }).waitFor();

    // Keyboard: the first Tab reaches the skip link, with a visible focus ring; it leads to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe(de.skipToContent);
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineWidth')).toBe('3px');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    await world.screenshot(page, 'de-desktop-find');

    // A fixed window, so the booking below overlaps exactly what the page shows.
    const from = new Date(Date.now() + 3 * 86_400_000);
    from.setHours(9, 0, 0, 0);
    const to = new Date(from.getTime() + 3_600_000);
    const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), type: 'CARGO' });
    await page.goto(`/sites/${soestSiteId}?${query}`);
    await page.getByText(`${de.spaceType.CARGO}: 6 frei`).waitFor();
    await world.screenshot(page, 'de-desktop-site');

    // Someone else books a cargo space: the page learns it from availabilityChanged.
    const other = await world.platform.commuter('other');
    const free = await world.platform.gql(
      `query($id: ID!, $from: DateTime!, $to: DateTime!) { availability(siteId: $id, from: $from, to: $to, spaceType: CARGO) { id } }`,
      { id: soestSiteId, from, to },
    );
    const booked = await world.platform.gql(
      `mutation($input: CreateBookingInput!) { createBooking(input: $input) { __typename } }`,
      { input: { spaceId: free.data.availability[0].id, from, to, idempotencyKey: 'live-1' } },
      other.token,
    );
    expect(booked.data.createBooking.__typename).toBe('Booking');
    await page.getByText(`${de.spaceType.CARGO}: 5 frei`).waitFor();
  });

  it('offers the waiting list when every space of the kind is taken, and lists the entry in the account', async () => {
    const other = await world.platform.commuter('taker');
    const from = new Date(Date.now() + 4 * 86_400_000);
    from.setHours(7, 0, 0, 0);
    const to = new Date(from.getTime() + 10 * 3_600_000);
    const large = await world.platform.gql(
      `query($id: ID!, $from: DateTime!, $to: DateTime!) { availability(siteId: $id, from: $from, to: $to, spaceType: LARGE) { id } }`,
      { id: soestSiteId, from, to },
    );
    for (const [n, space] of large.data.availability.entries()) {
      const r = await world.platform.gql(
        `mutation($input: CreateBookingInput!) { createBooking(input: $input) { __typename } }`,
        { input: { spaceId: space.id, from, to, idempotencyKey: `large-${n}` } },
        other.token,
      );
      expect(r.data.createBooking.__typename).toBe('Booking');
    }

    const me = await world.platform.commuter('waiter');
    const page = await world.newPage({ token: me.token });
    const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), type: 'LARGE' });
    await page.goto(`/sites/${soestSiteId}?${query}`);
    await page.getByText(de.site.noneFree).waitFor();
    await page.getByRole('button', { name: de.site.joinWaitlist }).press('Enter');
    await page.getByText(de.site.joinedWaitlist).waitFor();
    await world.screenshot(page, 'de-phone-waitlist');

    await page.getByRole('link', { name: de.nav.account }).click();
    await page.waitForTimeout(2000);
    const entries = page.getByRole('region', { name: de.account.waitlist }).getByRole('listitem');
    await entries.first().waitFor();
    await entries.first().getByText(`${SOEST} · ${de.spaceType.LARGE}`).waitFor();
  });
});
