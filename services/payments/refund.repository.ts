import type { RefundRow, Tx } from '../core/db/database.ts';
import { paymentRowToPayment } from './payment.repository.ts';
import type { Payment, Refund, RefundReason } from './payment.ts';

export function refundRowToRefund(row: RefundRow): Refund {
  return {
    id: row.id,
    paymentId: row.payment_id,
    tenantId: row.tenant_id,
    accountId: row.account_id,
    amountCents: row.amount_cents,
    reason: row.reason,
    status: row.status,
    stripeRefundId: row.stripe_refund_id,
    failureMessage: row.failure_message,
    createdAt: row.created_at,
  };
}

export const refundRepository = {
  /** Inserts the refund unless this payment was refunded for this reason before. */
  async insertRefund(
    tx: Tx,
    r: { paymentId: string; tenantId: string; accountId: string; amountCents: number; reason: RefundReason },
  ): Promise<Refund | undefined> {
    const row = await tx
      .insertInto('refund')
      .values({
        payment_id: r.paymentId,
        tenant_id: r.tenantId,
        account_id: r.accountId,
        amount_cents: r.amountCents,
        reason: r.reason,
      })
      .onConflict((oc) => oc.columns(['payment_id', 'reason']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && refundRowToRefund(row);
  },

  /** Pending refunds, locked so two workers never submit the same one at once. */
  async lockPendingRefunds(tx: Tx, limit: number, ids?: readonly string[]): Promise<Refund[]> {
    let query = tx.selectFrom('refund').selectAll().where('status', '=', 'pending');
    if (ids) query = query.where('id', 'in', ids.length > 0 ? ids : ['00000000-0000-0000-0000-000000000000']);
    const rows = await query.orderBy('created_at').limit(limit).forUpdate().skipLocked().execute();
    return rows.map(refundRowToRefund);
  },

  async setRefundOutcome(
    tx: Tx,
    id: string,
    outcome: { status: Refund['status']; stripeRefundId?: string; failureMessage?: string },
    at: Date,
  ): Promise<void> {
    await tx
      .updateTable('refund')
      .set((eb) => ({
        status: outcome.status,
        attempts: eb('attempts', '+', 1),
        updated_at: at,
        ...(outcome.stripeRefundId && { stripe_refund_id: outcome.stripeRefundId }),
        ...(outcome.failureMessage && { failure_message: outcome.failureMessage }),
      }))
      .where('id', '=', id)
      .execute();
  },

  async refundedByUs(tx: Tx, paymentId: string): Promise<number> {
    const row = await tx
      .selectFrom('refund')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.val(0)).as('total'))
      .where('payment_id', '=', paymentId)
      .where('status', 'in', ['submitted', 'succeeded'])
      .executeTakeFirstOrThrow();
    return Number(row.total);
  },

  async listRefunds(tx: Tx, paymentId: string): Promise<Refund[]> {
    const rows = await tx
      .selectFrom('refund')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .orderBy('created_at')
      .execute();
    return rows.map(refundRowToRefund);
  },

  /** Paid deposits of bookings that are over, not yet returned. */
  async listDepositsToReturn(tx: Tx, limit: number): Promise<Payment[]> {
    const rows = await tx
      .selectFrom('payment')
      .innerJoin('booking', 'booking.id', 'payment.booking_id')
      .selectAll('payment')
      .where('payment.method', '=', 'stripe')
      .where('payment.status', '=', 'succeeded')
      .where('payment.deposit_cents', '>', 0)
      .where('booking.status', 'in', ['completed', 'no_show'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('refund').select('refund.id').whereRef('refund.payment_id', '=', 'payment.id'),
          ),
        ),
      )
      .limit(limit)
      .execute();
    return rows.map(paymentRowToPayment);
  },
};
