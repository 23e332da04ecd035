import type { SubscriptionRow, Tx } from '../core/db/database.ts';
import type { Subscription, SubscriptionEndReason, SubscriptionStatus } from './subscription.ts';

export function subscriptionRowToSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    siteId: row.site_id,
    spaceId: row.space_id,
    accountId: row.account_id,
    tariffId: row.tariff_id,
    priceCents: row.price_cents,
    vatRateBp: row.vat_rate_bp,
    status: row.status,
    cancelAtPeriodEnd: row.cancel_at_period_end,
    endReason: row.end_reason,
    firstBookingId: row.first_booking_id,
    currentBookingId: row.current_booking_id,
    nextBookingId: row.next_booking_id,
    currentPeriodStart: row.current_period_start,
    currentPeriodEnd: row.current_period_end,
    stripePaymentMethodId: row.stripe_payment_method_id,
    endedAt: row.ended_at,
    createdAt: row.created_at,
  };
}

export interface SubscriptionChange {
  status?: SubscriptionStatus;
  cancelAtPeriodEnd?: boolean;
  endReason?: SubscriptionEndReason | null;
  currentBookingId?: string;
  nextBookingId?: string | null;
  currentPeriodStart?: Date;
  currentPeriodEnd?: Date;
  stripePaymentMethodId?: string | null;
  endedAt?: Date | null;
}

export const subscriptionRepository = {
  /** A retried start (same first booking) returns the subscription made the first time. */
  async insertOrGet(
    tx: Tx,
    s: Omit<
      Subscription,
      | 'id'
      | 'status'
      | 'cancelAtPeriodEnd'
      | 'endReason'
      | 'nextBookingId'
      | 'stripePaymentMethodId'
      | 'endedAt'
      | 'createdAt'
      | 'currentBookingId'
    >,
  ): Promise<Subscription> {
    await tx
      .insertInto('subscription')
      .values({
        tenant_id: s.tenantId,
        site_id: s.siteId,
        space_id: s.spaceId,
        account_id: s.accountId,
        tariff_id: s.tariffId,
        price_cents: s.priceCents,
        vat_rate_bp: s.vatRateBp,
        first_booking_id: s.firstBookingId,
        current_booking_id: s.firstBookingId,
        current_period_start: s.currentPeriodStart,
        current_period_end: s.currentPeriodEnd,
      })
      .onConflict((oc) => oc.column('first_booking_id').doNothing())
      .execute();
    const row = await tx
      .selectFrom('subscription')
      .selectAll()
      .where('first_booking_id', '=', s.firstBookingId)
      .executeTakeFirstOrThrow();
    return subscriptionRowToSubscription(row);
  },

  async findById(tx: Tx, id: string): Promise<Subscription | undefined> {
    const row = await tx.selectFrom('subscription').selectAll().where('id', '=', id).executeTakeFirst();
    return row && subscriptionRowToSubscription(row);
  },

  async lockById(tx: Tx, id: string): Promise<Subscription | undefined> {
    const row = await tx
      .selectFrom('subscription')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row && subscriptionRowToSubscription(row);
  },

  /** The subscription a booking belongs to (as its first, current or next period). */
  async findByBookingId(tx: Tx, bookingId: string): Promise<Subscription | undefined> {
    const row = await tx
      .selectFrom('subscription')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('first_booking_id', '=', bookingId),
          eb('current_booking_id', '=', bookingId),
          eb('next_booking_id', '=', bookingId),
        ]),
      )
      .executeTakeFirst();
    return row && subscriptionRowToSubscription(row);
  },

  async listByAccount(tx: Tx, accountId: string, page: { limit: number; offset: number }) {
    const rows = await tx
      .selectFrom('subscription')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(subscriptionRowToSubscription);
  },

  /** Active subscriptions whose paid period ends before `horizon` and that renew. */
  async listDueForRenewal(tx: Tx, horizon: Date, limit: number): Promise<Subscription[]> {
    const rows = await tx
      .selectFrom('subscription')
      .selectAll()
      .where('status', '=', 'active')
      .where('cancel_at_period_end', '=', false)
      .where('next_booking_id', 'is not', null)
      .where('current_period_end', '<=', horizon)
      .orderBy('current_period_end')
      .limit(limit)
      .execute();
    return rows.map(subscriptionRowToSubscription);
  },

  /** Live subscriptions whose paid period is over: they end unless a renewal moved them on. */
  async listPastPeriodEnd(tx: Tx, now: Date, limit: number): Promise<Subscription[]> {
    const rows = await tx
      .selectFrom('subscription')
      .selectAll()
      .where('status', '<>', 'ended')
      .where('current_period_end', '<=', now)
      .orderBy('current_period_end')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    return rows.map(subscriptionRowToSubscription);
  },

  /** Incomplete subscriptions whose first booking will never be paid. */
  async listUnpaidStarts(tx: Tx, limit: number): Promise<Subscription[]> {
    const rows = await tx
      .selectFrom('subscription')
      .innerJoin('booking', 'booking.id', 'subscription.first_booking_id')
      .selectAll('subscription')
      .where('subscription.status', '=', 'incomplete')
      .where('booking.status', 'in', ['expired', 'cancelled'])
      .limit(limit)
      .forUpdate('subscription')
      .skipLocked()
      .execute();
    return rows.map(subscriptionRowToSubscription);
  },

  async update(tx: Tx, id: string, change: SubscriptionChange, at: Date): Promise<Subscription> {
    const row = await tx
      .updateTable('subscription')
      .set({
        updated_at: at,
        ...(change.status !== undefined && { status: change.status }),
        ...(change.cancelAtPeriodEnd !== undefined && { cancel_at_period_end: change.cancelAtPeriodEnd }),
        ...(change.endReason !== undefined && { end_reason: change.endReason }),
        ...(change.currentBookingId !== undefined && { current_booking_id: change.currentBookingId }),
        ...(change.nextBookingId !== undefined && { next_booking_id: change.nextBookingId }),
        ...(change.currentPeriodStart !== undefined && { current_period_start: change.currentPeriodStart }),
        ...(change.currentPeriodEnd !== undefined && { current_period_end: change.currentPeriodEnd }),
        ...(change.stripePaymentMethodId !== undefined && {
          stripe_payment_method_id: change.stripePaymentMethodId,
        }),
        ...(change.endedAt !== undefined && { ended_at: change.endedAt }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return subscriptionRowToSubscription(row);
  },

  /**
   * Holds the space for the subscriber's next period until the renewal pays for it. Without a
   * PIN: nobody could be told a new one safely; the app and the QR code open the lock.
   */
  async insertNextPeriodHold(tx: Tx, s: Subscription, from: Date, to: Date): Promise<string> {
    const row = await tx
      .insertInto('booking')
      .values({
        tenant_id: s.tenantId,
        site_id: s.siteId,
        space_id: s.spaceId,
        account_id: s.accountId,
        starts_at: from,
        ends_at: to,
        status: 'held',
        hold_expires_at: from,
        pin_hash: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async accountLocale(tx: Tx, accountId: string): Promise<'de' | 'en'> {
    const row = await tx
      .selectFrom('account')
      .select('locale')
      .where('id', '=', accountId)
      .executeTakeFirst();
    return row?.locale ?? 'de';
  },

  async accountEmail(tx: Tx, accountId: string): Promise<{ email: string; name: string | null } | undefined> {
    return tx.selectFrom('account').select(['email', 'name']).where('id', '=', accountId).executeTakeFirst();
  },
};
