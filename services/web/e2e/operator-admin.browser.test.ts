import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../../test/support/platform.ts';
import { de } from '../src/i18n/messages.de.ts';
import { en } from '../src/i18n/messages.en.ts';
import { DESKTOP, type Page, seriousAxeViolations, startWebWorld, type WebWorld } from './support.ts';

/**
 * A town's operator runs a garage from the app: creates the site, adds spaces, sets and changes
 * the tariff, retires a space; a commuter then finds the site and is quoted that tariff. Real
 * API, database and Chromium. Menden has no garages and no tariffs before this test.
 */

const TOWN = 'menden';
const SITE = `Radstation Menden ${randomBytes(2).toString('hex')}`;
let world: WebWorld;

beforeAll(async () => {
  world = await startWebWorld();
});

afterAll(async () => {
  await world?.close();
});

/** Money as the page writes it in its language. */
const money = (lang: 'de' | 'en', cents: number) =>
  new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );

async function expectNoSeriousAxeViolations(page: Page) {
  const violations = await seriousAxeViolations(page);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
}

/** Staff with a known password, so the test signs in through the form like a person. */
async function staffAccount(tenantId: string, role: 'operator' | 'planner') {
  const email = `${role}.${tenantId}-${randomBytes(4).toString('hex')}@example.org`;
  await world.platform.services.accounts.createStaff({
    email,
    password: TEST_PASSWORD,
    name: role,
    tenantId,
    role,
  });
  const { token } = await world.platform.services.accounts.login({ email, password: TEST_PASSWORD });
  return { email, token };
}

async function signIn(page: Page, email: string) {
  await page.goto('/signin');
  await page.getByLabel(de.auth.email).fill(email);
  await page.getByLabel(de.auth.password).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: de.auth.submitSignIn }).click();
  await page.getByRole('link', { name: de.nav.operator }).click();
  await page.getByRole('heading', { level: 1, name: de.operator.title }).waitFor();
}

async function mendenTariffs(token: string) {
  const result = await world.platform.gql(
    `{ tariffs(tenant: "${TOWN}") { id name spaceType hourCents dayCents depositCents vatRateBasisPoints } }`,
    {},
    token,
  );
  return result.data.tariffs as {
    id: string;
    name: string;
    spaceType: string;
    hourCents: number | null;
    dayCents: number | null;
    depositCents: number;
    vatRateBasisPoints: number;
  }[];
}

describe('an operator runs a garage from the app', () => {
  let operator: { email: string; token: string };

  it('creates a site, adds spaces, sets and changes the tariff and retires a space (German, phone)', async () => {
    const t = de.garageAdmin;
    operator = await staffAccount(TOWN, 'operator');
    const page = await world.newPage();
    await signIn(page, operator.email);
    const sites = page.getByRole('region', { name: de.operator.sites });
    const tariffs = page.getByRole('region', { name: de.operator.tariffs });
    await tariffs.getByText(de.operator.noTariffs).waitFor();

    // A new site; a wrong postal code is refused by the API and shown at its field.
    await sites.getByRole('button', { name: t.newSite }).click();
    const siteForm = page.getByRole('form', { name: t.newSiteTitle });
    await siteForm.getByLabel(t.siteName).fill(SITE);
    await siteForm.getByLabel(t.street).fill('Bahnhofstraße 1');
    await siteForm.getByLabel(t.postalCode).fill('5870');
    await siteForm.getByLabel(`${t.city} ${t.optional}`, { exact: true }).fill('Menden (Sauerland)');
    await siteForm.getByLabel(t.lat).fill('51,4351');
    await siteForm.getByLabel(t.lon).fill('7,7925');
    await siteForm.getByLabel(t.openingHours).fill('24/7');
    await siteForm.getByRole('button', { name: t.save }).click();
    await siteForm.getByText(t.invalid.postalCode).waitFor();
    const postalCode = siteForm.getByLabel(t.postalCode);
    expect(await postalCode.getAttribute('aria-invalid')).toBe('true');
    // The field to correct takes focus.
    expect(await postalCode.evaluate((el) => el === document.activeElement)).toBe(true);

    // With the forms open (and an error showing), the page passes axe.
    await tariffs.getByRole('button', { name: t.newTariff }).click();
    await page.getByRole('form', { name: t.newTariffTitle }).waitFor();
    await world.screenshot(page, 'de-phone-operator-admin-forms');
    await expectNoSeriousAxeViolations(page);
    await page.getByRole('form', { name: t.newTariffTitle }).getByRole('button', { name: t.cancel }).click();

    await postalCode.fill('58706');
    await siteForm.getByRole('button', { name: t.save }).click();
    await sites.getByText(t.siteCreated(SITE)).waitFor();
    expect(await sites.getByLabel(de.operator.site, { exact: true }).inputValue()).not.toBe('');

    // Two spaces; a lock id with a blank is refused at its field first.
    for (const [label, lock] of [
      ['M1', 'lock m1'],
      ['M2', 'lock-menden-m2'],
    ] as const) {
      await sites.getByRole('button', { name: t.addSpace }).click();
      const spaceForm = page.getByRole('form', { name: t.newSpaceTitle(SITE) });
      await spaceForm.getByLabel(t.spaceLabel).fill(label);
      await spaceForm.getByLabel(t.spaceType).selectOption('STANDARD');
      await spaceForm.getByLabel(t.lockDevice).fill(lock);
      await spaceForm.getByRole('button', { name: t.save }).click();
      if (lock.includes(' ')) {
        await spaceForm.getByText(t.invalid.lockDeviceId).waitFor();
        await spaceForm.getByLabel(t.lockDevice).fill('lock-menden-m1');
        await spaceForm.getByRole('button', { name: t.save }).click();
      }
      await sites.getByText(t.spaceSaved(label)).waitFor();
    }
    const spaces = page.getByRole('region', { name: `${de.operator.spaces}: ${SITE}` });
    await spaces.getByText('lock-menden-m1').waitFor();
    await spaces.getByText('lock-menden-m2').waitFor();

    // A tariff: "2.500" is no price to a German reader; "2,50" is 250 cents.
    await tariffs.getByRole('button', { name: t.newTariff }).click();
    const tariffForm = page.getByRole('form', { name: t.newTariffTitle });
    await tariffForm.getByLabel(t.tariffName).fill('Standard Menden');
    await tariffForm.getByLabel(t.tariffSpaceType).selectOption('STANDARD');
    await tariffForm.getByLabel(t.unit.hourCents).fill('2.500');
    await tariffForm.getByLabel(t.unit.dayCents).fill('12,00');
    await tariffForm.getByLabel(t.depositEuro).fill('5');
    await tariffForm.getByRole('button', { name: t.save }).click();
    await tariffForm.getByText(t.invalid.hourCents).waitFor();
    await tariffForm.getByLabel(t.unit.hourCents).fill('2,50');
    await tariffForm.getByRole('button', { name: t.save }).click();
    await tariffs.getByText(t.tariffCreated('Standard Menden')).waitFor();
    const row = tariffs.getByRole('row').filter({ hasText: 'Standard Menden' });
    await row.getByText(money('de', 250)).waitFor();
    await row.getByText(de.garageAdmin.percent('19')).waitFor();
    expect(await mendenTariffs(operator.token)).toMatchObject([
      {
        name: 'Standard Menden',
        hourCents: 250,
        dayCents: 1200,
        depositCents: 500,
        vatRateBasisPoints: 1900,
      },
    ]);

    // A second tariff for the same kind: the API's typed error, next to the kind.
    await tariffs.getByRole('button', { name: t.newTariff }).click();
    await tariffForm.getByLabel(t.tariffName).fill('Doppelt');
    await tariffForm.getByLabel(t.unit.hourCents).fill('1');
    await tariffForm.getByRole('button', { name: t.save }).click();
    await tariffForm.getByText(t.invalid.spaceType).waitFor();
    await tariffForm.getByRole('button', { name: t.cancel }).click();

    // Edit: 3 € an hour, no deposit.
    await row.getByRole('button', { name: t.editTariff('Standard Menden') }).click();
    const editForm = page.getByRole('form', { name: t.editTariff('Standard Menden') });
    expect(await editForm.getByLabel(t.unit.hourCents).inputValue()).toBe('2,50');
    await editForm.getByLabel(t.unit.hourCents).fill('3,00');
    await editForm.getByLabel(t.depositEuro).fill('');
    await editForm.getByRole('button', { name: t.save }).click();
    await tariffs.getByText(t.tariffSaved('Standard Menden')).waitFor();
    await row.getByText(money('de', 300)).waitFor();
    expect(await mendenTariffs(operator.token)).toMatchObject([
      { hourCents: 300, dayCents: 1200, depositCents: 0 },
    ]);

    // Retire M2, after the confirmation step.
    await spaces.getByRole('button', { name: t.editSpace('M2') }).click();
    await sites.getByRole('button', { name: t.retireSpace('M2') }).click();
    await sites.getByText(t.retireSpaceAsk('M2')).waitFor();
    await world.screenshot(page, 'de-phone-operator-admin-retire');
    await sites.getByRole('button', { name: t.retireYes }).click();
    await sites.getByText(t.spaceRetired('M2')).waitFor();
    // Out of service, a space leaves the site's list (its bookings stay on record).
    await spaces.getByText('lock-menden-m2').waitFor({ state: 'detached' });
    await spaces.getByText('lock-menden-m1').waitFor();
    const { rows } = await sql<{ retired: boolean }>`
      select retired_at is not null as retired from space where lock_device_id = 'lock-menden-m2'`.execute(
      world.platform.database.db,
    );
    expect(rows).toEqual([{ retired: true }]);
    await page.setViewportSize(DESKTOP);
    await world.screenshot(page, 'de-desktop-operator-admin');
  });

  it('the commuter finds the new site and is quoted its tariff', async () => {
    const commuter = await world.platform.commuter('menden');
    const page = await world.newPage({ token: commuter.token });
    await page.goto('/');
    const card = page.locator('li.site-card', { hasText: SITE });
    await card.getByText(de.find.free(1)).waitFor(); // M1; M2 is out of service
    await card.getByRole('link', { name: de.find.bookAt(SITE) }).click();
    await page.getByRole('heading', { level: 1, name: SITE }).waitFor();
    // The default search is two hours: 2 × 3,00 € is cheaper than the day at 12,00 €.
    const quote = page.getByTestId('quote');
    await quote.getByText(de.quote.total(money('de', 600))).waitFor();
    await quote.getByText(de.quote.line(2, de.quote.lineUnit.HOUR(2), money('de', 300))).waitFor();
    await world.screenshot(page, 'de-phone-operator-admin-commuter-quote');
  });

  it('creates a tariff in English, with the English decimal point', async () => {
    const t = en.garageAdmin;
    const page = await world.newPage({ token: operator.token });
    await page.goto('/operator');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: en.operator.title }).waitFor();
    const tariffs = page.getByRole('region', { name: en.operator.tariffs });
    // By keyboard: the opened form's heading takes focus, Tab leads to the first field, Enter saves.
    await tariffs.getByRole('button', { name: t.newTariff }).press('Enter');
    const form = page.getByRole('form', { name: t.newTariffTitle });
    await form.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(t.newTariffTitle);
    await page.keyboard.press('Tab');
    await page.keyboard.type('E-bike Menden');
    expect(await form.getByLabel(t.tariffName).inputValue()).toBe('E-bike Menden');
    await form.getByLabel(t.tariffSpaceType).selectOption('E_BIKE_CHARGING');
    await form.getByLabel(t.unit.hourCents).fill('1.50');
    await form.getByLabel(t.vatPercent).fill('7');
    await form.getByLabel(t.vatPercent).press('Enter');
    await tariffs.getByText(t.tariffCreated('E-bike Menden')).waitFor();
    await tariffs.getByRole('row').filter({ hasText: 'E-bike Menden' }).getByText(money('en', 150)).waitFor();
    await world.screenshot(page, 'en-phone-operator-admin-tariff');
    expect((await mendenTariffs(operator.token)).find((x) => x.name === 'E-bike Menden')).toMatchObject({
      spaceType: 'E_BIKE_CHARGING',
      hourCents: 150,
      vatRateBasisPoints: 700,
    });
  });

  it('staff of another town neither see nor change Menden’s garage; planners only look; a refused save says why', async () => {
    const olpe = await staffAccount('olpe', 'operator');
    const page = await world.newPage();
    await signIn(page, olpe.email);
    await page.getByRole('region', { name: de.operator.tariffs }).getByText(de.operator.noTariffs).waitFor();
    expect(await page.getByText(SITE).count()).toBe(0);

    const tariff = (await mendenTariffs(operator.token)).find((x) => x.name === 'Standard Menden');
    const changed = await world.platform.gql(
      `mutation($id: ID!) { updateTariff(id: $id, input: { hourCents: 1 }) { __typename } }`,
      { id: tariff!.id },
      olpe.token,
    );
    expect(changed.data.updateTariff.__typename).toBe('NotFoundError');
    const after = (await mendenTariffs(operator.token)).find((x) => x.name === 'Standard Menden');
    expect(after?.hourCents).toBe(300);

    const planner = await staffAccount(TOWN, 'planner');
    const plannerPage = await world.newPage({ token: planner.token });
    await plannerPage.goto('/operator');
    await plannerPage.getByRole('row').filter({ hasText: 'Standard Menden' }).waitFor();
    expect(await plannerPage.getByRole('button', { name: de.garageAdmin.newTariff }).count()).toBe(0);
    expect(await plannerPage.getByRole('button', { name: de.garageAdmin.newSite }).count()).toBe(0);

    // Made a planner while the page is open (the new token says so): the API's ForbiddenError, in words.
    const demoted = await world.newPage({ token: operator.token });
    await demoted.goto('/operator');
    const tariffs = demoted.getByRole('region', { name: de.operator.tariffs });
    await tariffs.getByRole('button', { name: de.garageAdmin.newTariff }).click();
    const form = demoted.getByRole('form', { name: de.garageAdmin.newTariffTitle });
    await form.getByLabel(de.garageAdmin.tariffName).fill('Lastenrad Menden');
    await form.getByLabel(de.garageAdmin.tariffSpaceType).selectOption('CARGO');
    await form.getByLabel(de.garageAdmin.unit.dayCents).fill('8');
    await demoted.evaluate((token) => localStorage.setItem('swf.token', token), planner.token);
    await form.getByRole('button', { name: de.garageAdmin.save }).click();
    await form.getByRole('alert').getByText(de.garageAdmin.forbidden).waitFor();
    expect((await mendenTariffs(operator.token)).map((x) => x.name)).not.toContain('Lastenrad Menden');
  });

  it('edits the site, then retires it after asking; commuters no longer find it', async () => {
    const t = de.garageAdmin;
    const page = await world.newPage({ token: operator.token });
    await page.goto('/operator');
    const sites = page.getByRole('region', { name: de.operator.sites });
    await sites.getByRole('button', { name: t.editSite(SITE) }).click();
    const form = page.getByRole('form', { name: t.editSite(SITE) });
    expect(await form.getByLabel(t.lat).inputValue()).toBe('51,4351');
    await form.getByLabel(t.openingHours).fill('Mo-Su 05:00-23:00');
    await form.getByLabel(t.lat).fill('91');
    await form.getByRole('button', { name: t.save }).click();
    await form.getByText(t.invalid.lat).waitFor();
    await form.getByLabel(t.lat).fill('51,4352');
    await form.getByRole('button', { name: t.save }).click();
    await sites.getByText(t.siteSaved(SITE)).waitFor();
    const saved = await world.platform.gql(
      `{ sites(tenant: "${TOWN}") { edges { node { name openingHours position { lat } } } } }`,
    );
    expect(saved.data.sites.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { name: SITE, openingHours: 'Mo-Su 05:00-23:00', position: { lat: 51.4352 } },
    ]);

    await sites.getByRole('button', { name: t.editSite(SITE) }).click();
    await sites.getByRole('button', { name: t.retireSite(SITE) }).click();
    // Asked first; "no" keeps the site.
    await sites.getByText(t.retireSiteAsk(SITE)).waitFor();
    await sites.getByRole('button', { name: t.retireNo }).click();
    await sites.getByRole('button', { name: t.retireSite(SITE) }).click();
    await sites.getByRole('button', { name: t.retireYes }).click();
    await sites.getByText(t.siteRetired(SITE)).waitFor();
    // The list reloads after the notice: wait for the retired site to leave the choice.
    await sites.getByRole('option', { name: SITE }).waitFor({ state: 'detached' });
    const open = await world.platform.gql(`{ sites(tenant: "${TOWN}") { edges { node { id } } } }`);
    expect(open.data.sites.edges).toEqual([]);
  });
});
