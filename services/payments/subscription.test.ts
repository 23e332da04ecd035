import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { ManualClock } from '../core/clock.ts';
import { RENEWAL_LEAD_HOURS, SUBSCRIPTION_PERIOD_DAYS } from './subscription.ts';
import {
  CONFIRM_BOOKING,
  createPaymentsTestPlatform,
  createTariff,
  type PaymentsTestPlatform,
} from './test-support/payments-platform.ts';

const clock = new ManualClock(new Date());
let p: PaymentsTestPlatform;
beforeAll(async () => {
  p = await createPaymentsTestPlatform({ clock });
  await createTariff(p, 'arnsberg', 'LARGE', { day: 500, subscription: 2500, vatRateBp: 1900 });
});
afterAll(async () => {
  await p?.close();
});

const DAY = 24 * 3_600_000;
const START = `mutation($input: StartSubscriptionInput!) { startSubscription(input: $input) { __typename
  ... on SpaceSubscription { id status priceCents currentBooking { id status accessPin } }
  ... on Error { message } } }`;
const SUBSCRIPTIONS = `query { mySubscriptions { edges { node { id status cancelAtPeriodEnd endReason currentPeriodStart
  currentPeriodEnd currentBooking { id status } nextBooking { id status from to } } } } }`;
const CANCEL = `mutation($id: ID!) { cancelSubscription(id: $id) { __typename
  ... on SpaceSubscription { status cancelAtPeriodEnd endReason nextBooking { id } } ... on Error { message } } }`;
const NOTIFICATIONS = `query { myNotifications { edges { node { kind subject body } } } }`;

/** Starts a subscription and pays its first month with a card that is saved for renewals. */
async function subscribed() {
  const { spaces } = await createGarage(p.database.db, { tenantId: 'arnsberg', spaces: { LARGE: 1 } });
  const commuter = await p.commuter();
  const from = hoursFromNow(1, clock.now());
  const started = (
    await p.gql(START, { input: { spaceId: spaces[0]!.id, from, idempotencyKey: 'abo' } }, commuter.token)
  ).data.startSubscription;
  expect(started).toMatchObject({ __typename: 'SpaceSubscription', status: 'INCOMPLETE', priceCents: 2500 });
  expect(started.currentBooking.accessPin).toMatch(/^\d{6}$/);
  const first = started.currentBooking.id;
  const confirmed = (await p.gql(CONFIRM_BOOKING, { id: first }, commuter.token)).data.confirmBooking;
  expect(confirmed.payment).toMatchObject({ status: 'REQUIRES_PAYMENT', totalCents: 2500 });
  const intentId = confirmed.payment.clientSecret.split('_secret_')[0];
  const intent = p.fake.intents.get(intentId)!;
  expect(intent.customer).toMatch(/^cus_/);
  expect(intent.setup_future_usage).toBe('off_session');
  await p.fake.client().paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
  await p.fake.deliver(p.fake.eventsOf('payment_intent.succeeded', intentId)[0]!);
  const [sub] = (await p.gql(SUBSCRIPTIONS, {}, commuter.token)).data.mySubscriptions.edges.map(
    (e: { node: unknown }) => e.node,
  );
  return { commuter, sub, from, first, customer: intent.customer as string };
}

function advanceTo(at: Date) {
  clock.advance(at.getTime() - clock.now().getTime());
}

describe('subscriptions renew off session until cancelled', () => {
  it('the first payment activates it and reserves the next period; a due renewal charges the saved card', async () => {
    const { commuter, sub, customer } = await subscribed();
    expect(sub).toMatchObject({
      status: 'ACTIVE',
      cancelAtPeriodEnd: false,
      currentBooking: { status: 'CONFIRMED' },
    });
    const periodEnd = new Date(sub.currentPeriodEnd);
    expect(periodEnd.getTime() - new Date(sub.currentPeriodStart).getTime()).toBe(
      SUBSCRIPTION_PERIOD_DAYS * DAY,
    );
    expect(sub.nextBooking).toMatchObject({ status: 'HELD', from: sub.currentPeriodEnd });

    // Not yet due one minute before the renewal lead time …
    advanceTo(new Date(periodEnd.getTime() - RENEWAL_LEAD_HOURS * 3_600_000 - 60_000));
    await p.runBackgroundOnce();
    const offSession = () =>
      p.fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.form.off_session === 'true');
    expect(offSession().filter((r) => r.form.customer === customer)).toHaveLength(0);
    // … and charged once it is.
    clock.advance(2 * 60_000);
    await p.runBackgroundOnce();
    const charges = offSession().filter((r) => r.form.customer === customer);
    expect(charges).toHaveLength(1);
    expect(charges[0]!.form).toMatchObject({
      payment_method: 'pm_card_visa',
      confirm: 'true',
      amount: '2500',
    });

    const [renewed] = (await p.gql(SUBSCRIPTIONS, {}, commuter.token)).data.mySubscriptions.edges.map(
      (e: { node: unknown }) => e.node,
    );
    expect(renewed).toMatchObject({
      status: 'ACTIVE',
      currentPeriodStart: sub.currentPeriodEnd,
      currentBooking: { id: sub.nextBooking.id, status: 'CONFIRMED' },
      nextBooking: { status: 'HELD' },
    });
    // Stripe's webhook for the same renewal arrives afterwards: nothing moves twice.
    const renewalIntent = [...p.fake.intents.values()].filter((i) => i.customer === customer).at(-1)!;
    await p.fake.deliver(p.fake.eventsOf('payment_intent.succeeded', renewalIntent.id)[0]!);
    await p.runBackgroundOnce();
    const [still] = (await p.gql(SUBSCRIPTIONS, {}, commuter.token)).data.mySubscriptions.edges.map(
      (e: { node: unknown }) => e.node,
    );
    expect(still.currentPeriodEnd).toBe(renewed.currentPeriodEnd);
    expect(offSession().filter((r) => r.form.customer === customer)).toHaveLength(1);
  });

  it('a declined renewal ends the subscription at the period end, with one notice', async () => {
    const { commuter, sub } = await subscribed();
    // The saved card has since been blocked.
    await sql`update subscription set stripe_payment_method_id = 'pm_card_chargeDeclined' where id = ${sub.id}`.execute(
      p.database.db,
    );
    const periodEnd = new Date(sub.currentPeriodEnd);
    advanceTo(new Date(periodEnd.getTime() - RENEWAL_LEAD_HOURS * 3_600_000 + 60_000));
    await p.runBackgroundOnce();
    const [ending] = (await p.gql(SUBSCRIPTIONS, {}, commuter.token)).data.mySubscriptions.edges.map(
      (e: { node: unknown }) => e.node,
    );
    expect(ending).toMatchObject({
      status: 'ACTIVE',
      cancelAtPeriodEnd: true,
      endReason: 'RENEWAL_FAILED',
      currentBooking: { status: 'ACTIVE' },
      nextBooking: null,
    });
    const released = await sql<{
      status: string;
    }>`select status from booking where id = ${sub.nextBooking.id}`.execute(p.database.db);
    expect(released.rows[0]!.status).toBe('cancelled');

    // Stripe's payment_failed webhook for the renewal, and later runs, add no second notice.
    const failed = p.fake.events.filter((e) => e.type === 'payment_intent.payment_failed').at(-1)!;
    await p.fake.deliver(failed);
    await p.runBackgroundOnce();
    const notices = (await p.gql(NOTIFICATIONS, {}, commuter.token)).data.myNotifications.edges.filter(
      (e: { node: { kind: string } }) => e.node.kind === 'subscription_ending',
    );
    expect(notices).toHaveLength(1);
    expect(notices[0].node.subject).toBe('Abo-Verlängerung fehlgeschlagen');
    expect(notices[0].node.body).toContain('Your card was declined.');
    const systemWritten = await sql<{ n: string }>`select count(*) as n from notification
      where kind = 'subscription_ending' and account_id = (select account_id from subscription where id = ${sub.id})`.execute(
      p.database.db,
    );
    expect(Number(systemWritten.rows[0]!.n)).toBe(1);

    advanceTo(new Date(periodEnd.getTime() + 1000));
    await p.runBackgroundOnce();
    const [ended] = (await p.gql(SUBSCRIPTIONS, {}, commuter.token)).data.mySubscriptions.edges.map(
      (e: { node: unknown }) => e.node,
    );
    expect(ended).toMatchObject({ status: 'ENDED', endReason: 'RENEWAL_FAILED' });
  });

  it('cancelling keeps the paid period and releases the reserved next one', async () => {
    const { commuter, sub } = await subscribed();
    const cancelled = (await p.gql(CANCEL, { id: sub.id }, commuter.token)).data.cancelSubscription;
    expect(cancelled).toMatchObject({
      status: 'ACTIVE',
      cancelAtPeriodEnd: true,
      endReason: 'CANCELLED',
      nextBooking: null,
    });
    const next = await sql<{
      status: string;
    }>`select status from booking where id = ${sub.nextBooking.id}`.execute(p.database.db);
    expect(next.rows[0]!.status).toBe('cancelled');
    const other = await p.commuter();
    expect((await p.gql(CANCEL, { id: sub.id }, other.token)).data.cancelSubscription.__typename).toBe(
      'NotFoundError',
    );
    // Its bookings are not cancelled one by one.
    const single = await p.gql(
      `mutation($id: ID!) { cancelBooking(id: $id) { __typename } }`,
      { id: sub.currentBooking.id },
      commuter.token,
    );
    expect(single.data.cancelBooking.__typename).toBe('BookingStateError');
    const quote = await p.gql(
      `query($id: ID!) { cancellationQuote(bookingId: $id) { __typename } }`,
      { id: sub.currentBooking.id },
      commuter.token,
    );
    expect(quote.data.cancellationQuote.__typename).toBe('BookingStateError');
  });
});
