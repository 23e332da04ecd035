import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGarage } from '../../../test/support/fixtures.ts';
import { systemActor, withActor } from '../../core/tenancy.ts';
import { tariffRepository } from '../../payments/tariff.repository.ts';
import { FakeStripe } from '../../payments/test-support/fake-stripe.ts';
import { de } from '../src/i18n/messages.de.ts';
import { type Page, seriousAxeViolations, startWebWorld, type WebWorld } from './support.ts';

/**
 * Paying with Stripe in the browser: the API talks to a local fake of Stripe's API (the real
 * SDK), and the page gets a stand-in for Stripe.js that confirms through the same fake and
 * delivers the signed webhook, as Stripe would. Everything else is real.
 */

let fake: FakeStripe;
let world: WebWorld;
let siteId: string;

/** Stands in for https://js.stripe.com/<train>/stripe.js: the parts of the API the app uses. */
const FAKE_STRIPE_JS = `(() => {
  function Stripe() {
    return {
      _registerWrapper() {},
      elements(options) {
        const handlers = {};
        return {
          clientSecret: options.clientSecret,
          create() {
            return {
              mount(target) {
                const box = document.createElement('p');
                box.textContent = 'Testkarte 4242 4242 4242 4242';
                box.className = 'fake-payment-element';
                target.appendChild(box);
                setTimeout(() => (handlers.ready || []).forEach((f) => f()), 0);
              },
              on(event, f) { (handlers[event] = handlers[event] || []).push(f); },
              destroy() {},
            };
          },
        };
      },
      confirmPayment(params) { return window.fakeStripeConfirm(params.elements.clientSecret); },
    };
  }
  Stripe.version = 'endive';
  window.Stripe = Stripe;
})();`;

/** Money as the German page writes it (with the no-break space before €). */
const eur = (cents: number) =>
  new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(cents / 100);

/** The card the next confirmPayment uses; Stripe's test payment methods. */
let nextCard = 'pm_card_visa';

async function withFakeStripeJs(page: Page) {
  await page.route('https://js.stripe.com/**', (route) =>
    route.fulfill({ contentType: 'application/javascript', body: FAKE_STRIPE_JS }),
  );
  await page.exposeFunction('fakeStripeConfirm', async (clientSecret: string) => {
    const intentId = clientSecret.split('_secret_')[0]!;
    try {
      await fake.client().paymentIntents.confirm(intentId, { payment_method: nextCard });
    } catch (error) {
      const [failed] = fake.eventsOf('payment_intent.payment_failed', intentId).slice(-1);
      await fake.deliver(failed!);
      return { error: { type: 'card_error', message: (error as Error).message } };
    }
    await fake.deliver(fake.eventsOf('payment_intent.succeeded', intentId)[0]!);
    return { paymentIntent: { id: intentId, status: 'succeeded' } };
  });
}

beforeAll(async () => {
  fake = await new FakeStripe().start();
  world = await startWebWorld(fake.env());
  fake.webhookUrl = `${world.baseUrl}/payments/webhook`;
  const garage = await createGarage(world.platform.database.db, {
    tenantId: 'olpe',
    spaces: { STANDARD: 2 },
  });
  siteId = garage.site.id;
  await withActor(world.platform.database.db, systemActor, (tx) =>
    tariffRepository.insert(tx, 'olpe', 'STANDARD', {
      name: 'Radbox Olpe',
      hour_cents: 150,
      day_cents: 900,
      week_cents: null,
      month_cents: null,
      subscription_month_cents: null,
      deposit_cents: 500,
      vat_rate_bp: 1900,
    }),
  );
  await sql`update tenant set cancellation_refund_policy = 'partial', cancellation_refund_percent = 50
    where id = 'olpe'`.execute(world.platform.database.db);
});

afterAll(async () => {
  await world?.close();
  await fake?.stop();
});

describe('paying with Stripe', () => {
  it('shows the price, takes the payment in the Payment Element, confirms, and refunds by policy on cancel', async () => {
    const commuter = await world.platform.commuter('payer');
    const page = await world.newPage({ token: commuter.token });
    await withFakeStripeJs(page);
    const from = new Date(Date.now() + 2 * 86_400_000);
    from.setHours(9, 0, 0, 0);
    const to = new Date(from.getTime() + 2 * 3_600_000);
    await page.goto(
      `/sites/${siteId}?${new URLSearchParams({ from: from.toISOString(), to: to.toISOString() })}`,
    );

    // 2 hours at 1,50 € plus 5,00 € deposit.
    const quote = page.getByTestId('quote');
    await quote.getByText(de.quote.total(eur(800))).waitFor();
    await quote.getByText(de.quote.line(2, 'Stunden', eur(150))).waitFor();
    await quote.getByText(de.quote.deposit(eur(500))).waitFor();
    await world.screenshot(page, 'de-phone-site-quote');

    await page.getByRole('button', { name: de.site.book }).click();
    await page.getByRole('button', { name: de.booking.toPayment }).click();
    const pay = page.getByRole('button', { name: de.booking.payNow(eur(800)) });
    await page.getByText('Testkarte 4242 4242 4242 4242').waitFor();
    await world.screenshot(page, 'de-phone-payment');
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);

    // A declined card: Stripe's message, the booking stays HELD, another card pays.
    nextCard = 'pm_card_chargeDeclined';
    await pay.click();
    await page.getByText('Your card was declined.').first().waitFor();
    await page.getByTestId('booking-status').getByText(de.bookingStatus.HELD).waitFor();
    nextCard = 'pm_card_visa';
    await pay.click();
    await page.getByText(de.booking.confirmed).waitFor();
    await page.getByTestId('booking-status').getByText(de.bookingStatus.CONFIRMED).waitFor();
    await page
      .getByTestId('payment-summary')
      .getByText(de.booking.paymentSummary(de.booking.paymentStates.SUCCEEDED, eur(800)))
      .waitFor();
    expect((await page.getByTestId('access-pin').textContent())?.trim()).toMatch(/^\d{6}$/);
    await world.screenshot(page, 'de-phone-paid');

    // Half the price back (partial, 50 %) plus the whole deposit: 1,50 € + 5,00 €.
    await page.getByRole('button', { name: de.booking.cancel }).click();
    await page
      .getByTestId('refund')
      .getByText(de.booking.refund(eur(650)))
      .waitFor();
    await world.screenshot(page, 'de-phone-refund-ask');
    await page.getByRole('button', { name: de.booking.cancelYes }).click();
    await page.getByTestId('booking-status').getByText(de.bookingStatus.CANCELLED).waitFor();
  });
});
