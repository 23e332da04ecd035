import { sql } from 'kysely';
import type { PaymentRow, Tx } from '../core/db/database.ts';
import type { Payment, PaymentMethod, PaymentStatus, RefundPolicy } from './payment.ts';
import type { PriceLine } from './pricing.ts';

export function paymentRowToPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    bookingId: row.booking_id,
    accountId: row.account_id,
    subscriptionId: row.subscription_id,
    method: row.method,
    status: row.status,
    amountCents: row.amount_cents,
    vatCents: row.vat_cents,
    vatRateBp: row.vat_rate_bp,
    depositCents: row.deposit_cents,
    lines: (typeof row.lines === 'string' ? JSON.parse(row.lines) : row.lines) as PriceLine[],
    refundedCents: row.refunded_cents,
    stripePaymentIntentId: row.stripe_payment_intent_id,
    clientSecret: row.client_secret,
    stripePaymentMethodId: row.stripe_payment_method_id,
    failureMessage: row.failure_message,
    receiptNumber: row.receipt_number === null ? null : String(row.receipt_number),
    startedAt: row.started_at,
    paidAt: row.paid_at,
    createdAt: row.created_at,
  };
}

export interface NewPayment {
  tenantId: string;
  bookingId: string;
  accountId: string;
  subscriptionId: string | null;
  method: PaymentMethod;
  status: PaymentStatus;
  amountCents: number;
  vatCents: number;
  vatRateBp: number;
  depositCents: number;
  lines: PriceLine[];
  startedAt: Date;
  paidAt: Date | null;
}

export interface TenantPaymentSettings {
  id: string;
  name: string;
  policy: RefundPolicy;
  percent: number;
  merchantAddress: string | null;
  vatId: string | null;
}

export const paymentRepository = {
  async findByBookingIds(tx: Tx, bookingIds: readonly string[]): Promise<Payment[]> {
    if (bookingIds.length === 0) return [];
    const rows = await tx.selectFrom('payment').selectAll().where('booking_id', 'in', bookingIds).execute();
    return rows.map(paymentRowToPayment);
  },

  async findById(tx: Tx, id: string): Promise<Payment | undefined> {
    const row = await tx.selectFrom('payment').selectAll().where('id', '=', id).executeTakeFirst();
    return row && paymentRowToPayment(row);
  },

  /** Lock order everywhere: the booking first, then its payment. */
  async lockByBookingId(tx: Tx, bookingId: string): Promise<Payment | undefined> {
    const row = await tx
      .selectFrom('payment')
      .selectAll()
      .where('booking_id', '=', bookingId)
      .forUpdate()
      .executeTakeFirst();
    return row && paymentRowToPayment(row);
  },

  /** By our own id from the intent's metadata, else by the intent id. */
  async findForIntent(tx: Tx, intentId: string, paymentId: string | undefined): Promise<Payment | undefined> {
    let query = tx.selectFrom('payment').selectAll();
    query = paymentId
      ? query.where((eb) => eb.or([eb('id', '=', paymentId), eb('stripe_payment_intent_id', '=', intentId)]))
      : query.where('stripe_payment_intent_id', '=', intentId);
    const row = await query.executeTakeFirst();
    return row && paymentRowToPayment(row);
  },

  /** One payment per booking: a second insert (a retried confirm) returns the first. */
  async insertOrGet(tx: Tx, p: NewPayment): Promise<Payment> {
    await tx
      .insertInto('payment')
      .values({
        tenant_id: p.tenantId,
        booking_id: p.bookingId,
        account_id: p.accountId,
        subscription_id: p.subscriptionId,
        method: p.method,
        status: p.status,
        amount_cents: p.amountCents,
        vat_cents: p.vatCents,
        vat_rate_bp: p.vatRateBp,
        deposit_cents: p.depositCents,
        lines: JSON.stringify(p.lines),
        started_at: p.startedAt,
        paid_at: p.paidAt,
      })
      .onConflict((oc) => oc.column('booking_id').doNothing())
      .execute();
    return (await paymentRepository.lockByBookingId(tx, p.bookingId))!;
  },

  async setIntent(tx: Tx, id: string, intentId: string, clientSecret: string | null): Promise<void> {
    await tx
      .updateTable('payment')
      .set({ stripe_payment_intent_id: intentId, client_secret: clientSecret })
      .where('id', '=', id)
      .where('stripe_payment_intent_id', 'is', null)
      .execute();
  },

  /** Succeeded once, with a receipt number from the one sequence; later calls change nothing. */
  async markSucceeded(tx: Tx, id: string, at: Date, paymentMethodId: string | null): Promise<void> {
    await tx
      .updateTable('payment')
      .set((eb) => ({
        status: 'succeeded',
        paid_at: at,
        failure_message: null,
        stripe_payment_method_id: eb.fn.coalesce(eb.val(paymentMethodId), 'stripe_payment_method_id'),
        receipt_number: sql<string>`coalesce(receipt_number, nextval('receipt_number_seq'))`,
        updated_at: at,
      }))
      .where('id', '=', id)
      .where('status', '<>', 'succeeded')
      .execute();
  },

  async setStatus(tx: Tx, id: string, status: PaymentStatus, at: Date, failureMessage?: string | null) {
    await tx
      .updateTable('payment')
      .set({
        status,
        updated_at: at,
        ...(failureMessage !== undefined && { failure_message: failureMessage }),
      })
      .where('id', '=', id)
      .execute();
  },

  /** Refunded money only grows: the largest figure Stripe or we reported wins. */
  async raiseRefunded(tx: Tx, id: string, refundedCents: number, at: Date): Promise<void> {
    await tx
      .updateTable('payment')
      .set({
        refunded_cents: sql<number>`least(amount_cents + deposit_cents, greatest(refunded_cents, ${refundedCents}))`,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
  },

  /** True the first time an event id is seen; the primary key decides between concurrent deliveries. */
  async recordEvent(tx: Tx, id: string, type: string, createdAt: Date): Promise<boolean> {
    const row = await tx
      .insertInto('stripe_event')
      .values({ id, type, stripe_created_at: createdAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  },

  async findCustomer(tx: Tx, accountId: string): Promise<string | undefined> {
    const row = await tx
      .selectFrom('payment_customer')
      .select('stripe_customer_id')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row?.stripe_customer_id;
  },

  async saveCustomer(tx: Tx, accountId: string, customerId: string): Promise<void> {
    await tx
      .insertInto('payment_customer')
      .values({ account_id: accountId, stripe_customer_id: customerId })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
  },

  async tenantSettings(tx: Tx, tenantId: string): Promise<TenantPaymentSettings | undefined> {
    const row = await tx
      .selectFrom('tenant')
      .select([
        'id',
        'name',
        'cancellation_refund_policy',
        'cancellation_refund_percent',
        'merchant_address',
        'vat_id',
      ])
      .where('id', '=', tenantId)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        name: row.name,
        policy: row.cancellation_refund_policy,
        percent: row.cancellation_refund_percent,
        merchantAddress: row.merchant_address,
        vatId: row.vat_id,
      }
    );
  },

  /** Keeps a HELD booking held at least until `until` (never shortens a hold). */
  async extendHold(tx: Tx, bookingId: string, until: Date): Promise<void> {
    await tx
      .updateTable('booking')
      .set({ hold_expires_at: until })
      .where('id', '=', bookingId)
      .where('status', '=', 'held')
      .where('hold_expires_at', '<', until)
      .execute();
  },

  /** Unpaid Stripe payments whose booking will never be confirmed: their intents can be stopped. */
  async listAbandonedIntents(tx: Tx, limit: number) {
    return tx
      .selectFrom('payment')
      .innerJoin('booking', 'booking.id', 'payment.booking_id')
      .select(['payment.id', 'payment.stripe_payment_intent_id'])
      .where('payment.method', '=', 'stripe')
      .where('payment.status', 'in', ['requires_payment', 'failed'])
      .where('payment.stripe_payment_intent_id', 'is not', null)
      .where('booking.status', 'in', ['expired', 'cancelled'])
      .limit(limit)
      .execute();
  },
};
