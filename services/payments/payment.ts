import type { PriceLine } from './pricing.ts';

export type PaymentMethod = 'stripe' | 'pay_on_site' | 'free';
/** Stored status; refunds are a separate amount (see paymentState). */
export type PaymentStatus = 'requires_payment' | 'failed' | 'succeeded' | 'cancelled' | 'due_on_site';
/** What clients see: the stored status with refunds folded in. */
export type PaymentState = PaymentStatus | 'partially_refunded' | 'refunded';

export type RefundPolicy = 'full' | 'partial' | 'none';
export type RefundReason = 'cancellation' | 'late_payment' | 'deposit';

/**
 * How much longer a HELD booking stays held once its payment has started, counted from the
 * first confirm: Stripe's 3-D Secure step and bank apps can take minutes, and a commuter who
 * starts paying in the last minute of the hold must not lose the space while their bank
 * answers. The extension happens once (from the payment's start, not from every retry), so a
 * space can never be blocked for more than the town's hold time plus this.
 */
export const PAYMENT_HOLD_EXTENSION_MINUTES = 15;

export interface Payment {
  id: string;
  tenantId: string;
  bookingId: string;
  accountId: string;
  subscriptionId: string | null;
  method: PaymentMethod;
  status: PaymentStatus;
  /** Gross amount for the service, VAT included. */
  amountCents: number;
  vatCents: number;
  vatRateBp: number;
  depositCents: number;
  lines: PriceLine[];
  refundedCents: number;
  stripePaymentIntentId: string | null;
  clientSecret: string | null;
  stripePaymentMethodId: string | null;
  failureMessage: string | null;
  receiptNumber: string | null;
  startedAt: Date;
  paidAt: Date | null;
  createdAt: Date;
}

export function totalCents(payment: Pick<Payment, 'amountCents' | 'depositCents'>): number {
  return payment.amountCents + payment.depositCents;
}

export function paymentState(payment: Payment): PaymentState {
  if (payment.status === 'succeeded' && payment.refundedCents > 0) {
    return payment.refundedCents >= totalCents(payment) ? 'refunded' : 'partially_refunded';
  }
  return payment.status;
}

export interface Refund {
  id: string;
  paymentId: string;
  tenantId: string;
  accountId: string;
  amountCents: number;
  reason: RefundReason;
  status: 'pending' | 'submitted' | 'succeeded' | 'failed';
  stripeRefundId: string | null;
  failureMessage: string | null;
  createdAt: Date;
}

/** Receipt numbers read like "SOEST-000042": the town, then one sequence for all towns. */
export function formatReceiptNumber(tenantId: string, receiptNumber: string): string {
  return `${tenantId.toUpperCase()}-${receiptNumber.padStart(6, '0')}`;
}
