import { sql } from 'kysely';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { ManualClock } from '../core/clock.ts';
import { PAYMENT_HOLD_EXTENSION_MINUTES } from './payment.ts';
import {
  BOOKING_WITH_PAYMENT,
  CONFIRM_BOOKING,
  createPaymentsTestPlatform,
  createTariff,
  type PaymentsTestPlatform,
} from './test-support/payments-platform.ts';

const clock = new ManualClock(new Date());
let p: PaymentsTestPlatform;
beforeAll(async () => {
  p = await createPaymentsTestPlatform({ clock });
});
afterAll(async () => {
  await p?.close();
});

const intentIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;

/** A commuter holds a STANDARD space in Soest for `hours` and confirms: the payment starts. */
async function holdAndConfirm(hours = 26) {
  const { spaces } = await createGarage(p.database.db, { tenantId: 'soest' });
  const commuter = await p.commuter();
  const from = hoursFromNow(4, clock.now());
  const to = new Date(from.getTime() + hours * 3_600_000);
  const created = await p.gql(
    CREATE_BOOKING,
    { input: { spaceId: spaces[0]!.id, from, to, idempotencyKey: `k-${Math.random()}` } },
    commuter.token,
  );
  const id = created.data.createBooking.id as string;
  const confirmed = (await p.gql(CONFIRM_BOOKING, { id }, commuter.token)).data.confirmBooking;
  return { commuter, id, confirmed, spaceId: spaces[0]!.id };
}

describe('confirm and pay with Stripe (real SDK against the fake)', () => {
  beforeAll(async () => {
    await createTariff(p, 'soest', 'STANDARD', { hour: 100, day: 800, deposit: 500, vatRateBp: 1900 });
  });

  it('paymentConfig gives the browser the publishable key', async () => {
    expect((await p.gql('query { paymentConfig { mode publishableKey } }')).data.paymentConfig).toEqual({
      mode: 'STRIPE',
      publishableKey: p.fake.publishableKey,
    });
  });

  it('confirm starts a PaymentIntent for the quoted total and keeps the booking HELD; the webhook confirms it', async () => {
    const { commuter, id, confirmed } = await holdAndConfirm();
    expect(confirmed).toMatchObject({
      __typename: 'Booking',
      status: 'HELD',
      payment: { status: 'REQUIRES_PAYMENT', method: 'STRIPE', totalCents: 1500 },
    });
    // The hold is extended once, counted from the start of the payment.
    expect(new Date(confirmed.holdExpiresAt).getTime()).toBe(
      clock.now().getTime() + PAYMENT_HOLD_EXTENSION_MINUTES * 60_000,
    );
    const intentId = intentIdOf(confirmed.payment.clientSecret);
    const intent = p.fake.intents.get(intentId)!;
    expect(intent).toMatchObject({ amount: 1500, currency: 'eur', metadata: { bookingId: id } });

    // A retried confirm neither creates a second intent nor moves the hold again.
    clock.advance(60_000);
    const again = (await p.gql(CONFIRM_BOOKING, { id }, commuter.token)).data.confirmBooking;
    expect(again.payment.clientSecret).toBe(confirmed.payment.clientSecret);
    expect(again.holdExpiresAt).toBe(confirmed.holdExpiresAt);
    const creates = p.fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.form.metadata);
    const ours = creates.filter((r) => (r.form.metadata as Record<string, string>).bookingId === id);
    expect(ours).toHaveLength(1);
    expect(ours[0]!.idempotencyKey).toBe(`intent-${confirmed.payment.id}`);

    // Only the owner sees the client secret.
    const other = await p.commuter('other');
    expect((await p.gql(BOOKING_WITH_PAYMENT, { id }, other.token)).data.booking).toBeNull();

    // The browser pays (Stripe.js confirmPayment); Stripe tells us by webhook.
    await p.fake.client().paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    expect((await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking.status).toBe('HELD');
    const [succeeded] = p.fake.eventsOf('payment_intent.succeeded', intentId);
    const response = await p.fake.deliver(succeeded!);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'processed' });

    const paid = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(paid).toMatchObject({
      status: 'CONFIRMED',
      holdExpiresAt: null,
      payment: {
        status: 'SUCCEEDED',
        amountCents: 1000,
        vatCents: 160,
        depositCents: 500,
        totalCents: 1500,
        clientSecret: null,
      },
    });
    expect(paid.payment.receipt.number).toMatch(/^SOEST-\d{6}$/);
  });

  it('a declined card leaves the booking HELD with the reason; another card then pays it', async () => {
    const { commuter, id, confirmed } = await holdAndConfirm(3);
    const intentId = intentIdOf(confirmed.payment.clientSecret);
    const declined = await p.fake
      .client()
      .paymentIntents.confirm(intentId, { payment_method: 'pm_card_chargeDeclined' })
      .catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    const [failed] = p.fake.eventsOf('payment_intent.payment_failed', intentId);
    expect((await p.fake.deliver(failed!)).status).toBe(200);
    const after = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(after).toMatchObject({
      status: 'HELD',
      payment: { status: 'FAILED', failureMessage: 'Your card was declined.' },
    });
    expect(after.payment.clientSecret).toBe(confirmed.payment.clientSecret);

    await p.fake.client().paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    await p.fake.deliver(p.fake.eventsOf('payment_intent.succeeded', intentId)[0]!);
    const paid = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(paid).toMatchObject({
      status: 'CONFIRMED',
      payment: { status: 'SUCCEEDED', failureMessage: null },
    });
  });

  it('a replayed event has no second effect', async () => {
    const { commuter, id, confirmed } = await holdAndConfirm(2);
    const intentId = intentIdOf(confirmed.payment.clientSecret);
    await p.fake.client().paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    const event = p.fake.eventsOf('payment_intent.succeeded', intentId)[0]!;
    expect(await (await p.fake.deliver(event)).json()).toMatchObject({ outcome: 'processed' });
    const first = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(await (await p.fake.deliver(event)).json()).toMatchObject({ outcome: 'duplicate' });
    const second = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(second.payment.receipt.number).toBe(first.payment.receipt.number);
    const transitions = await sql<{ n: string }>`
      select count(*) as n from booking_event where booking_id = ${id} and new_status = 'confirmed'`.execute(
      p.database.db,
    );
    expect(Number(transitions.rows[0]!.n)).toBe(1);
  });

  it('a wrong signature gets 400 and changes nothing', async () => {
    const { commuter, id, confirmed } = await holdAndConfirm(2);
    const intentId = intentIdOf(confirmed.payment.clientSecret);
    await p.fake.client().paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    const event = p.fake.eventsOf('payment_intent.succeeded', intentId)[0]!;
    const forged = await p.fake.deliver(event, { secret: 'whsec_not_the_secret' });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('BAD_SIGNATURE');
    const noHeader = await fetch(p.fake.webhookUrl, { method: 'POST', body: JSON.stringify(event) });
    expect(noHeader.status).toBe(400);
    // A body changed after signing (here: re-serialized without the whitespace) fails too.
    const payload = JSON.stringify(event, null, 2);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: p.fake.webhookSecret });
    const reserialized = await fetch(p.fake.webhookUrl, {
      method: 'POST',
      headers: { 'stripe-signature': header },
      body: JSON.stringify(JSON.parse(payload)),
    });
    expect(reserialized.status).toBe(400);

    expect((await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking.status).toBe('HELD');
    const stored = await sql`select 1 from stripe_event where id = ${event.id}`.execute(p.database.db);
    expect(stored.rows).toHaveLength(0);
    expect(await (await p.fake.deliver(event)).json()).toMatchObject({ outcome: 'processed' });
  });

  it('a success that arrives after the hold expired is refunded in full and the space stays free', async () => {
    const { commuter, id, confirmed } = await holdAndConfirm(2);
    const intentId = intentIdOf(confirmed.payment.clientSecret);
    clock.advance(new Date(confirmed.holdExpiresAt).getTime() - clock.now().getTime() + 1000);
    await p.runBackgroundOnce(); // the sweeper expires the hold (and stops the intent)
    expect((await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking.status).toBe('EXPIRED');
    expect(p.fake.intents.get(intentId)!.status).toBe('canceled');

    // The customer had already paid in another tab just before the cancel reached Stripe:
    // simulate Stripe's success by flipping the fake's intent and emitting the event.
    const late = await latePayment(intentId);
    expect(await (await p.fake.deliver(late)).json()).toMatchObject({ outcome: 'processed' });
    const after = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(after.status).toBe('EXPIRED');
    expect(after.payment).toMatchObject({ status: 'REFUNDED', refundedCents: 700 });
    expect(after.payment.refunds).toEqual([
      { amountCents: 700, reason: 'late_payment', status: 'succeeded' },
    ]);
    const refundCalls = p.fake.requests.filter(
      (r) => r.path === '/v1/refunds' && r.form.payment_intent === intentId,
    );
    expect(refundCalls).toHaveLength(1);
    expect(refundCalls[0]!.idempotencyKey).toMatch(/^refund-/);
  });
});

/** Stripe's view of a payment that succeeded after all: the intent succeeded, with its event. */
async function latePayment(intentId: string): Promise<Stripe.Event> {
  const intent = p.fake.intents.get(intentId)!;
  intent.status = 'requires_payment_method';
  await p.fake.client().paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
  return p.fake.eventsOf('payment_intent.succeeded', intentId).at(-1)!;
}
