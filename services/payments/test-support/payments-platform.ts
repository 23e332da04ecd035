import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { createTestPlatform } from '../../../test/support/platform.ts';
import type { Clock } from '../../core/clock.ts';
import { systemActor, withActor } from '../../core/tenancy.ts';
import type { SpaceType } from '../../garages/space.ts';
import { tariffRepository } from '../tariff.repository.ts';
import { FakeStripe } from './fake-stripe.ts';

export type PaymentsTestPlatform = Awaited<ReturnType<typeof createPaymentsTestPlatform>>;

/**
 * The whole API on a fresh database with the real Stripe SDK pointed at a FakeStripe, served
 * over real HTTP so that the fake posts signed webhooks to /payments/webhook.
 */
export async function createPaymentsTestPlatform(options: { clock?: Clock; stripe?: boolean } = {}) {
  const fake = await new FakeStripe().start();
  const platform = await createTestPlatform({
    ...(options.clock && { clock: options.clock }),
    env: options.stripe === false ? {} : fake.env(),
  });
  const server = serve({ fetch: platform.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.webhookUrl = `${baseUrl}/payments/webhook`;
  return {
    ...platform,
    fake,
    baseUrl,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.stop();
      await platform.dropDatabase();
    },
  };
}

/** A tariff in force, straight through the repository (the GraphQL path has its own tests). */
export async function createTariff(
  platform: PaymentsTestPlatform,
  tenantId: string,
  spaceType: SpaceType,
  prices: {
    hour?: number | null;
    day?: number | null;
    week?: number | null;
    month?: number | null;
    subscription?: number | null;
    deposit?: number;
    vatRateBp?: number;
  },
) {
  return withActor(platform.database.db, systemActor, async (tx) => {
    await tx
      .updateTable('tariff')
      .set({ retired_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('space_type', '=', spaceType)
      .where('retired_at', 'is', null)
      .execute();
    return tariffRepository.insert(tx, tenantId, spaceType, {
      name: `Test ${spaceType}`,
      hour_cents: prices.hour ?? null,
      day_cents: prices.day ?? null,
      week_cents: prices.week ?? null,
      month_cents: prices.month ?? null,
      subscription_month_cents: prices.subscription ?? null,
      deposit_cents: prices.deposit ?? 0,
      vat_rate_bp: prices.vatRateBp ?? 1900,
    });
  });
}

export async function setRefundPolicy(
  platform: PaymentsTestPlatform,
  tenantId: string,
  policy: 'full' | 'partial' | 'none',
  percent = 50,
) {
  await sql`update tenant set cancellation_refund_policy = ${policy}, cancellation_refund_percent = ${percent}
    where id = ${tenantId}`.execute(platform.database.db);
}

export const BOOKING_WITH_PAYMENT = `
  query($id: ID!) { booking(id: $id) { id status holdExpiresAt
    payment { id status method amountCents vatCents depositCents totalCents refundedCents clientSecret failureMessage
      receipt { number htmlUrl pdfUrl } refunds { amountCents reason status } } } }`;

export const CONFIRM_BOOKING = `
  mutation($id: ID!) { confirmBooking(id: $id) { __typename
    ... on Booking { id status holdExpiresAt payment { id status method totalCents clientSecret } }
    ... on Error { message } } }`;

export const CANCEL_BOOKING = `
  mutation($id: ID!) { cancelBooking(id: $id) { __typename ... on Booking { status } ... on Error { message } } }`;

export const CANCELLATION_QUOTE = `
  query($id: ID!) { cancellationQuote(bookingId: $id) { __typename
    ... on CancellationQuote { refundCents depositRefundCents policy percent } ... on Error { message } } }`;
