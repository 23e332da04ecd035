import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookSpace, CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { ManualClock } from '../core/clock.ts';
import {
  BOOKING_WITH_PAYMENT,
  CANCEL_BOOKING,
  CANCELLATION_QUOTE,
  CONFIRM_BOOKING,
  createPaymentsTestPlatform,
  createTariff,
  type PaymentsTestPlatform,
  setRefundPolicy,
} from './test-support/payments-platform.ts';

const clock = new ManualClock(new Date());
let p: PaymentsTestPlatform;
beforeAll(async () => {
  p = await createPaymentsTestPlatform({ clock });
  // 26 hours: 1 day (8 €) + 2 hours (2 €) = 10 € gross, plus 5 € deposit = 15 € charged.
  await createTariff(p, 'olpe', 'STANDARD', { hour: 100, day: 800, deposit: 500 });
  await createTariff(p, 'olpe', 'CARGO', { hour: 100, day: 800 });
});
afterAll(async () => {
  await p?.close();
});

/** A paid, CONFIRMED booking in Olpe (webhook delivered). */
async function paidBooking(type: 'STANDARD' | 'CARGO' = 'STANDARD') {
  const { spaces } = await createGarage(p.database.db, { tenantId: 'olpe', spaces: { [type]: 1 } });
  const commuter = await p.commuter();
  const from = hoursFromNow(48, clock.now());
  const created = await p.gql(
    CREATE_BOOKING,
    {
      input: {
        spaceId: spaces[0]!.id,
        from,
        to: new Date(from.getTime() + 26 * 3_600_000),
        idempotencyKey: 'pay',
      },
    },
    commuter.token,
  );
  const id = created.data.createBooking.id as string;
  const confirmed = (await p.gql(CONFIRM_BOOKING, { id }, commuter.token)).data.confirmBooking;
  const intentId = confirmed.payment.clientSecret.split('_secret_')[0] as string;
  await p.fake.client().paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
  await p.fake.deliver(p.fake.eventsOf('payment_intent.succeeded', intentId)[0]!);
  return { commuter, id, intentId };
}

const refundRequests = (intentId: string) =>
  p.fake.requests.filter((r) => r.path === '/v1/refunds' && r.form.payment_intent === intentId);

describe('cancelling before the start refunds by the town’s policy, shown first', () => {
  const cases = [
    { policy: 'full', percent: 50, refund: 1500, shown: 'FULL', status: 'REFUNDED' },
    { policy: 'partial', percent: 30, refund: 300 + 500, shown: 'PARTIAL', status: 'PARTIALLY_REFUNDED' },
    { policy: 'none', percent: 50, refund: 500, shown: 'NONE', status: 'PARTIALLY_REFUNDED' },
  ] as const;
  for (const c of cases) {
    it(`${c.policy}${c.policy === 'partial' ? ` ${c.percent} %` : ''}: ${c.refund} cents back (deposit always)`, async () => {
      await setRefundPolicy(p, 'olpe', c.policy, c.percent);
      const { commuter, id, intentId } = await paidBooking();
      const quote = (await p.gql(CANCELLATION_QUOTE, { id }, commuter.token)).data.cancellationQuote;
      expect(quote).toMatchObject({ refundCents: c.refund, depositRefundCents: 500, policy: c.shown });

      expect((await p.gql(CANCEL_BOOKING, { id }, commuter.token)).data.cancelBooking.status).toBe(
        'CANCELLED',
      );
      expect(refundRequests(intentId).map((r) => Number(r.form.amount))).toEqual([c.refund]);
      // Stripe's charge.refunded confirms the same amount; it is not counted twice.
      await p.fake.deliver(p.fake.eventsOf('charge.refunded', intentId).at(-1)!);
      const after = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
      expect(after.payment).toMatchObject({ status: c.status, refundedCents: c.refund });
      expect(after.payment.refunds).toEqual([
        { amountCents: c.refund, reason: 'cancellation', status: 'succeeded' },
      ]);

      // Cancelling again changes nothing and refunds nothing more.
      expect((await p.gql(CANCEL_BOOKING, { id }, commuter.token)).data.cancelBooking.status).toBe(
        'CANCELLED',
      );
      expect(refundRequests(intentId)).toHaveLength(1);
    });
  }

  it('policy none without a deposit: nothing back, no call to Stripe', async () => {
    await setRefundPolicy(p, 'olpe', 'none');
    const { commuter, id, intentId } = await paidBooking('CARGO');
    expect((await p.gql(CANCELLATION_QUOTE, { id }, commuter.token)).data.cancellationQuote).toMatchObject({
      refundCents: 0,
      policy: 'NONE',
      percent: 0,
    });
    await p.gql(CANCEL_BOOKING, { id }, commuter.token);
    expect(refundRequests(intentId)).toHaveLength(0);
  });

  it('when the town cancels, everything comes back whatever the policy', async () => {
    await setRefundPolicy(p, 'olpe', 'none');
    const { id, intentId } = await paidBooking();
    const operator = await p.staff('olpe', 'operator');
    expect((await p.gql(CANCELLATION_QUOTE, { id }, operator.token)).data.cancellationQuote.refundCents).toBe(
      1500,
    );
    expect((await p.gql(CANCEL_BOOKING, { id }, operator.token)).data.cancelBooking.status).toBe('CANCELLED');
    expect(refundRequests(intentId).map((r) => Number(r.form.amount))).toEqual([1500]);
  });

  it('a refund Stripe could not take now stays pending and is sent by the background run', async () => {
    await setRefundPolicy(p, 'olpe', 'full');
    const { commuter, id, intentId } = await paidBooking();
    p.fake.failNext(/^\/v1\/refunds$/, 500, 3); // the SDK retries twice, then gives up
    await p.gql(CANCEL_BOOKING, { id }, commuter.token);
    let after = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(after.payment.refunds).toEqual([{ amountCents: 1500, reason: 'cancellation', status: 'pending' }]);
    await p.runBackgroundOnce();
    after = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(after.payment).toMatchObject({ status: 'REFUNDED', refundedCents: 1500 });
    expect(p.fake.intents.get(intentId)!.amount_refunded).toBe(1500);
  });
});

describe('deposits', () => {
  it('come back by themselves once the booking is over, once', async () => {
    const { commuter, id, intentId } = await paidBooking();
    const booking = (await p.gql('query($id: ID!) { booking(id: $id) { to } }', { id }, commuter.token)).data
      .booking;
    clock.advance(new Date(booking.to).getTime() - clock.now().getTime() + 1000);
    await p.runBackgroundOnce(); // completes the booking, then returns the deposit
    await p.runBackgroundOnce();
    const after = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(after.status).toBe('COMPLETED');
    expect(after.payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedCents: 500 });
    expect(after.payment.refunds).toEqual([{ amountCents: 500, reason: 'deposit', status: 'succeeded' }]);
    expect(refundRequests(intentId).map((r) => Number(r.form.amount))).toEqual([500]);
  });
});

describe('events in any order', () => {
  it('charge.refunded before payment_intent.succeeded: the refunded payment does not confirm the booking', async () => {
    const { spaces } = await createGarage(p.database.db, { tenantId: 'olpe' });
    const commuter = await p.commuter();
    const from = hoursFromNow(30, clock.now());
    const created = await p.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, from, to: hoursFromNow(32, clock.now()), idempotencyKey: 'ooo' } },
      commuter.token,
    );
    const id = created.data.createBooking.id;
    const confirmed = (await p.gql(CONFIRM_BOOKING, { id }, commuter.token)).data.confirmBooking;
    const intentId = confirmed.payment.clientSecret.split('_secret_')[0];
    const stripe = p.fake.client();
    await stripe.paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    await stripe.refunds.create({ payment_intent: intentId }); // refunded in the Stripe dashboard

    expect((await p.fake.deliver(p.fake.eventsOf('charge.refunded', intentId)[0]!)).status).toBe(200);
    expect((await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking.status).toBe('HELD');
    await p.fake.deliver(p.fake.eventsOf('payment_intent.succeeded', intentId)[0]!);
    const after = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(after).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED', refundedCents: 700 } });
    expect(refundRequests(intentId)).toHaveLength(1); // only the dashboard's, none of ours
  });

  it('payment_failed after payment_intent.succeeded: stays paid', async () => {
    const { spaces } = await createGarage(p.database.db, { tenantId: 'olpe', spaces: { CARGO: 1 } });
    const commuter = await p.commuter();
    const created = await bookSpace(p, commuter.token, {
      spaceId: spaces[0]!.id,
      fromHours: 30,
      toHours: 31,
      key: 'x',
      now: clock.now(),
    });
    const id = created.data.createBooking.id;
    const intentId = (
      await p.gql(CONFIRM_BOOKING, { id }, commuter.token)
    ).data.confirmBooking.payment.clientSecret.split('_secret_')[0];
    const stripe = p.fake.client();
    await stripe.paymentIntents
      .confirm(intentId, { payment_method: 'pm_card_chargeDeclined' })
      .catch(() => undefined);
    await stripe.paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    await p.fake.deliver(p.fake.eventsOf('payment_intent.succeeded', intentId)[0]!);
    await p.fake.deliver(p.fake.eventsOf('payment_intent.payment_failed', intentId)[0]!);
    const after = (await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking;
    expect(after).toMatchObject({
      status: 'CONFIRMED',
      payment: { status: 'SUCCEEDED', failureMessage: null },
    });
  });
});

describe('concurrent deliveries (real PostgreSQL)', () => {
  it('the same late-success event delivered 5 times at once: one refund, one processed, four duplicates', async () => {
    const { spaces } = await createGarage(p.database.db, { tenantId: 'olpe' });
    const commuter = await p.commuter();
    const created = await p.gql(
      CREATE_BOOKING,
      {
        input: {
          spaceId: spaces[0]!.id,
          from: hoursFromNow(30, clock.now()),
          to: hoursFromNow(32, clock.now()),
          idempotencyKey: 'r',
        },
      },
      commuter.token,
    );
    const id = created.data.createBooking.id;
    const confirmed = (await p.gql(CONFIRM_BOOKING, { id }, commuter.token)).data.confirmBooking;
    const intentId = confirmed.payment.clientSecret.split('_secret_')[0];
    await p.fake.client().paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    // The hold lapses before the event is processed.
    await sql`update booking set hold_expires_at = now() - interval '1 minute' where id = ${id}`.execute(
      p.database.db,
    );
    clock.advance(0);
    const event = p.fake.eventsOf('payment_intent.succeeded', intentId)[0]!;
    const outcomes = await Promise.all(
      Array.from(
        { length: 5 },
        async () => ((await (await p.fake.deliver(event)).json()) as { outcome: string }).outcome,
      ),
    );
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'processed']);
    expect(refundRequests(intentId)).toHaveLength(1);
    const rows = await sql<{
      n: string;
    }>`select count(*) as n from refund r join payment p on p.id = r.payment_id
      where p.booking_id = ${id}`.execute(p.database.db);
    expect(Number(rows.rows[0]!.n)).toBe(1);
    expect((await p.gql(BOOKING_WITH_PAYMENT, { id }, commuter.token)).data.booking.status).toBe('EXPIRED');
  });
});
