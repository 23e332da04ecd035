import { sql } from 'kysely';
import type { Tx } from '../core/db/database.ts';
import { PgCode, pgErrorCode } from '../core/errors.ts';
import { bookingRepository } from '../garages/booking.repository.ts';
import type { Booking } from '../garages/booking.ts';
import { notificationRepository } from '../notifications/notification.repository.ts';
import { subscriptionEndingMessage } from './subscription.messages.ts';
import { subscriptionRepository } from './subscription.repository.ts';
import { periodEnd, type Subscription } from './subscription.ts';

/**
 * What happens to a subscription when money arrives or fails to. All of it runs inside the
 * caller's system transaction, under the subscription's row lock, and checks the state it
 * finds, so a second call for the same fact (a replayed or reordered event) changes nothing.
 */

/** Tells the subscriber once (the state change guards it) that the subscription will end. */
async function noticeEnding(
  tx: Tx,
  s: Subscription,
  reason: 'renewal_failed' | 'space_taken',
  detail: string | null,
) {
  const locale = await subscriptionRepository.accountLocale(tx, s.accountId);
  const message = subscriptionEndingMessage(reason, s.currentPeriodEnd, detail, locale);
  await notificationRepository.insertMany(tx, [
    {
      accountId: s.accountId,
      tenantId: s.tenantId,
      kind: 'subscription_ending',
      ...message,
      payload: { subscriptionId: s.id, reason, endsAt: s.currentPeriodEnd.toISOString() },
    },
  ]);
}

/**
 * Reserves the period after the current one. If someone booked the space for it already,
 * the subscription ends with this period (a savepoint keeps the transaction usable).
 */
async function reserveNextPeriod(tx: Tx, s: Subscription, now: Date): Promise<Subscription> {
  if (s.cancelAtPeriodEnd) return s;
  await sql`savepoint reserve_next_period`.execute(tx);
  try {
    const next = await subscriptionRepository.insertNextPeriodHold(
      tx,
      s,
      s.currentPeriodEnd,
      periodEnd(s.currentPeriodEnd),
    );
    await sql`release savepoint reserve_next_period`.execute(tx);
    return subscriptionRepository.update(tx, s.id, { nextBookingId: next }, now);
  } catch (error) {
    if (pgErrorCode(error) !== PgCode.exclusionViolation) throw error;
    await sql`rollback to savepoint reserve_next_period`.execute(tx);
    const ending = await subscriptionRepository.update(
      tx,
      s.id,
      { nextBookingId: null, cancelAtPeriodEnd: true, endReason: 'space_taken' },
      now,
    );
    await noticeEnding(tx, ending, 'space_taken', null);
    return ending;
  }
}

/** A period was paid: the first one activates the subscription, a renewal moves it on. */
export async function onPeriodPaid(
  tx: Tx,
  subscriptionId: string,
  paid: Booking,
  paymentMethodId: string | null,
  now: Date,
): Promise<void> {
  const s = await subscriptionRepository.lockById(tx, subscriptionId);
  if (!s || s.status === 'ended') return;
  if (s.status === 'incomplete' && paid.id === s.currentBookingId) {
    const active = await subscriptionRepository.update(
      tx,
      s.id,
      { status: 'active', stripePaymentMethodId: paymentMethodId ?? s.stripePaymentMethodId },
      now,
    );
    await reserveNextPeriod(tx, active, now);
  } else if (paid.id === s.nextBookingId) {
    const moved = await subscriptionRepository.update(
      tx,
      s.id,
      {
        currentBookingId: paid.id,
        currentPeriodStart: paid.from,
        currentPeriodEnd: paid.to,
        nextBookingId: null,
        ...(paymentMethodId && { stripePaymentMethodId: paymentMethodId }),
      },
      now,
    );
    await reserveNextPeriod(tx, moved, now);
  }
}

/** A renewal could not be charged: the subscription ends with the paid period, with a notice. */
export async function onRenewalFailed(tx: Tx, subscriptionId: string, detail: string | null, now: Date) {
  const s = await subscriptionRepository.lockById(tx, subscriptionId);
  if (s?.status !== 'active' || s.cancelAtPeriodEnd) return;
  if (s.nextBookingId) {
    const next = await bookingRepository.findByIdForUpdate(tx, s.nextBookingId);
    if (next?.status === 'held') await bookingRepository.setStatus(tx, next.id, 'cancelled');
  }
  const ending = await subscriptionRepository.update(
    tx,
    s.id,
    { cancelAtPeriodEnd: true, endReason: 'renewal_failed', nextBookingId: null },
    now,
  );
  await noticeEnding(tx, ending, 'renewal_failed', detail);
}

/** The first payment never came (its booking expired or was cancelled). */
export async function onFirstPaymentLapsed(tx: Tx, subscriptionId: string, now: Date) {
  const s = await subscriptionRepository.lockById(tx, subscriptionId);
  if (s?.status !== 'incomplete') return;
  await subscriptionRepository.update(
    tx,
    s.id,
    { status: 'ended', endReason: 'not_paid', endedAt: now },
    now,
  );
}

/**
 * Ends subscriptions whose paid period is over and that did not move on (cancelled, failed
 * or never renewed); an unpaid reservation of the next period is released.
 */
export async function endLapsedSubscriptions(tx: Tx, now: Date, limit: number): Promise<number> {
  const due = await subscriptionRepository.listPastPeriodEnd(tx, now, limit);
  for (const s of due) {
    if (s.status === 'incomplete') continue; // its first booking decides (onFirstPaymentLapsed)
    if (s.nextBookingId) {
      const next = await bookingRepository.findByIdForUpdate(tx, s.nextBookingId);
      if (next?.status === 'held') await bookingRepository.setStatus(tx, next.id, 'cancelled');
    }
    const notified = s.cancelAtPeriodEnd;
    const ended = await subscriptionRepository.update(
      tx,
      s.id,
      { status: 'ended', endedAt: now, nextBookingId: null, endReason: s.endReason ?? 'renewal_failed' },
      now,
    );
    if (!notified) await noticeEnding(tx, ended, 'renewal_failed', null);
  }
  for (const s of await subscriptionRepository.listUnpaidStarts(tx, limit)) {
    await onFirstPaymentLapsed(tx, s.id, now);
  }
  return due.length;
}
