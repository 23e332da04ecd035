import type { Tx } from '../core/db/database.ts';
import { bookingRepository } from '../garages/booking.repository.ts';
import { paymentRepository } from './payment.repository.ts';
import { type Payment, totalCents } from './payment.ts';
import { refundRepository } from './refund.repository.ts';
import { subscriptionRepository } from './subscription.repository.ts';
import { onFirstPaymentLapsed, onPeriodPaid, onRenewalFailed } from './subscription-lifecycle.ts';

/** Work to do with Stripe once the transaction has committed. */
export interface AfterCommit {
  refundIds: string[];
}

const SETTLED_BOOKING = ['confirmed', 'active', 'completed', 'no_show'];

/**
 * Money arrived for a payment. Runs in a system transaction and locks the booking, then the
 * payment (the lock order of every payment path), so a hold that lapses at the same moment or
 * a cancellation racing with the webhook is decided by the database, one after the other.
 *
 * - the booking is still HELD within its hold: it is confirmed (and a subscription moves on);
 * - the hold lapsed or the booking was cancelled first: everything is refunded ("late payment");
 * - the payment had been fully refunded before we heard of its success (events out of order):
 *   the booking is released.
 * A payment that is already succeeded is left alone: this fact was settled before.
 */
export async function settleSucceeded(
  tx: Tx,
  paymentId: string,
  paymentMethodId: string | null,
  now: Date,
  after: AfterCommit,
): Promise<void> {
  const found = await paymentRepository.findById(tx, paymentId);
  if (!found) return;
  const booking = await bookingRepository.findByIdForUpdate(tx, found.bookingId);
  const payment = await paymentRepository.lockByBookingId(tx, found.bookingId);
  if (!booking || !payment || payment.status === 'succeeded') return;
  await paymentRepository.markSucceeded(tx, payment.id, now, paymentMethodId);

  const total = totalCents(payment);
  const holdValid = booking.status === 'held' && (!booking.holdExpiresAt || booking.holdExpiresAt > now);
  if (payment.refundedCents >= total && total > 0) {
    if (booking.status === 'held') await bookingRepository.setStatus(tx, booking.id, 'cancelled');
    return;
  }
  if (holdValid) {
    const confirmed = await bookingRepository.setStatus(tx, booking.id, 'confirmed');
    if (payment.subscriptionId)
      await onPeriodPaid(tx, payment.subscriptionId, confirmed, paymentMethodId, now);
    return;
  }
  if (SETTLED_BOOKING.includes(booking.status)) return;

  // Late: the space was given up before the money came. Nobody pays for a booking they do not have.
  if (booking.status === 'held') await bookingRepository.setStatus(tx, booking.id, 'expired');
  await refundRest(tx, payment, 'late_payment', after);
  if (payment.subscriptionId) {
    const s = await subscriptionRepository.findById(tx, payment.subscriptionId);
    if (s?.status === 'incomplete') await onFirstPaymentLapsed(tx, s.id, now);
  }
}

/** Refunds what is left of a payment, at most once per reason. */
export async function refundRest(
  tx: Tx,
  payment: Payment,
  reason: 'late_payment' | 'cancellation' | 'deposit',
  after: AfterCommit,
  amountCents = totalCents(payment) - payment.refundedCents,
): Promise<void> {
  if (amountCents <= 0) return;
  const refund = await refundRepository.insertRefund(tx, {
    paymentId: payment.id,
    tenantId: payment.tenantId,
    accountId: payment.accountId,
    amountCents,
    reason,
  });
  if (refund) after.refundIds.push(refund.id);
}

/**
 * An attempt to pay failed (declined card). The commuter may try again while the hold lasts;
 * a failed subscription renewal ends the subscription at the end of the paid period.
 * A failure reported after a success (events out of order) changes nothing.
 */
export async function settleFailed(tx: Tx, paymentId: string, message: string | null, now: Date) {
  const found = await paymentRepository.findById(tx, paymentId);
  if (!found) return;
  await bookingRepository.findByIdForUpdate(tx, found.bookingId);
  const payment = await paymentRepository.lockByBookingId(tx, found.bookingId);
  if (!payment || (payment.status !== 'requires_payment' && payment.status !== 'failed')) return;
  await paymentRepository.setStatus(tx, payment.id, 'failed', now, message);
  if (payment.subscriptionId) {
    const s = await subscriptionRepository.findById(tx, payment.subscriptionId);
    if (s && s.nextBookingId === payment.bookingId) await onRenewalFailed(tx, s.id, message, now);
  }
}

/** The intent was cancelled (its hold ended): an unpaid payment is cancelled too. */
export async function settleCancelled(tx: Tx, paymentId: string, now: Date) {
  const found = await paymentRepository.findById(tx, paymentId);
  if (!found) return;
  await bookingRepository.findByIdForUpdate(tx, found.bookingId);
  const payment = await paymentRepository.lockByBookingId(tx, found.bookingId);
  if (!payment || (payment.status !== 'requires_payment' && payment.status !== 'failed')) return;
  await paymentRepository.setStatus(tx, payment.id, 'cancelled', now);
}

/** Stripe's own count of refunded money (ours and any made in the dashboard). */
export async function settleRefunded(tx: Tx, paymentId: string, amountRefunded: number, now: Date) {
  const found = await paymentRepository.findById(tx, paymentId);
  if (!found) return;
  await bookingRepository.findByIdForUpdate(tx, found.bookingId);
  await paymentRepository.lockByBookingId(tx, found.bookingId);
  await paymentRepository.raiseRefunded(tx, paymentId, amountRefunded, now);
}
