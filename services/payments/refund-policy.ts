import type { Payment, RefundPolicy } from './payment.ts';

export interface CancellationRefund {
  refundCents: number;
  /** The part of the refund that is the deposit (always returned in full). */
  depositRefundCents: number;
  policy: RefundPolicy;
  percent: number;
}

/**
 * What a cancellation before the start gives back. The deposit is a security, never a fee,
 * so it always comes back in full. Of the price: all of it (policy `full`), the town's
 * percentage (`partial`, rounded down to the cent so we never refund more than promised),
 * or nothing (`none`). When the town itself cancels, the commuter gets everything back
 * whatever the policy. Only money actually received and not yet refunded can come back.
 */
export function cancellationRefund(
  payment: Pick<Payment, 'status' | 'method' | 'amountCents' | 'depositCents' | 'refundedCents'> | null,
  tenant: { policy: RefundPolicy; percent: number },
  cancelledByTown: boolean,
): CancellationRefund {
  const policy: RefundPolicy = cancelledByTown ? 'full' : tenant.policy;
  const percent = policy === 'full' ? 100 : policy === 'none' ? 0 : tenant.percent;
  if (payment?.status !== 'succeeded' || payment.method !== 'stripe') {
    return { refundCents: 0, depositRefundCents: 0, policy, percent };
  }
  const priceShare = Math.floor((payment.amountCents * percent) / 100);
  const wanted = priceShare + payment.depositCents;
  const refundable = payment.amountCents + payment.depositCents - payment.refundedCents;
  const refundCents = Math.max(0, Math.min(wanted, refundable));
  return { refundCents, depositRefundCents: Math.min(payment.depositCents, refundCents), policy, percent };
}
