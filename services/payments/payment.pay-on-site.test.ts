import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import {
  BOOKING_WITH_PAYMENT,
  CANCEL_BOOKING,
  CANCELLATION_QUOTE,
  CONFIRM_BOOKING,
  createPaymentsTestPlatform,
  createTariff,
  type PaymentsTestPlatform,
} from './test-support/payments-platform.ts';

/** The embedded default: no Stripe key. */
let p: PaymentsTestPlatform;
beforeAll(async () => {
  p = await createPaymentsTestPlatform({ stripe: false });
  await createTariff(p, 'menden', 'STANDARD', { hour: 120, day: 900, deposit: 300 });
});
afterAll(async () => {
  await p?.close();
});

async function book(type: 'STANDARD' | 'CARGO') {
  const { spaces } = await createGarage(p.database.db, { tenantId: 'menden', spaces: { [type]: 1 } });
  const commuter = await p.commuter();
  const created = await p.gql(
    CREATE_BOOKING,
    { input: { spaceId: spaces[0]!.id, from: hoursFromNow(3), to: hoursFromNow(5), idempotencyKey: 'k' } },
    commuter.token,
  );
  return { commuter, id: created.data.createBooking.id as string, spaceId: spaces[0]!.id };
}

describe('without a Stripe key: pay on site', () => {
  it('paymentConfig says PAY_ON_SITE and gives no key', async () => {
    expect((await p.gql('query { paymentConfig { mode publishableKey } }')).data.paymentConfig).toEqual({
      mode: 'PAY_ON_SITE',
      publishableKey: null,
    });
  });

  it('a priced booking is confirmed at once and clearly marked as due on site', async () => {
    const { commuter, id } = await book('STANDARD');
    const confirmed = (await p.gql(CONFIRM_BOOKING, { id }, commuter.token)).data.confirmBooking;
    expect(confirmed).toMatchObject({
      status: 'CONFIRMED',
      payment: { method: 'PAY_ON_SITE', status: 'DUE_ON_SITE', totalCents: 540, clientSecret: null },
    });
    const booking = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(booking.payment).toMatchObject({ amountCents: 240, depositCents: 300, receipt: null });
    // Nothing was paid, so nothing comes back.
    expect((await p.gql(CANCELLATION_QUOTE, { id }, commuter.token)).data.cancellationQuote.refundCents).toBe(
      0,
    );
    expect((await p.gql(CANCEL_BOOKING, { id }, commuter.token)).data.cancelBooking.status).toBe('CANCELLED');
  });

  it('a space type without a tariff is free', async () => {
    const { commuter, id } = await book('CARGO');
    const confirmed = (await p.gql(CONFIRM_BOOKING, { id }, commuter.token)).data.confirmBooking;
    expect(confirmed).toMatchObject({
      status: 'CONFIRMED',
      payment: { method: 'FREE', status: 'SUCCEEDED', totalCents: 0 },
    });
  });

  it('the webhook route answers 404 and subscriptions are not offered', async () => {
    const response = await fetch(p.fake.webhookUrl, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    await createTariff(p, 'menden', 'LARGE', { subscription: 2000 });
    const { spaces } = await createGarage(p.database.db, { tenantId: 'menden', spaces: { LARGE: 1 } });
    const commuter = await p.commuter();
    const started = await p.gql(
      `mutation($input: StartSubscriptionInput!) { startSubscription(input: $input) { __typename } }`,
      { input: { spaceId: spaces[0]!.id, from: hoursFromNow(2), idempotencyKey: 'abo' } },
      commuter.token,
    );
    expect(started.data.startSubscription.__typename).toBe('PaymentUnavailableError');
  });
});
