import Stripe from 'stripe';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import type { Logger } from '../core/logging.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { paymentRepository } from './payment.repository.ts';
import { refundRepository } from './refund.repository.ts';
import type { StripeGateway } from './stripe-gateway.ts';

export const REFUND_BATCH_SIZE = 20;

/**
 * Sends recorded refunds to Stripe. A refund row is written in the transaction that decided
 * it (cancellation, late payment, deposit) and sent after commit; a crash or a Stripe outage
 * in between leaves it pending, and the background run sends it later. Each row is locked
 * while it is sent and carries its id as idempotency key, so it is refunded once.
 */
export class RefundExecutor {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly gateway: StripeGateway | null,
    private readonly logger: Logger,
  ) {}

  /** Sends the given refunds (or any pending ones); returns how many were sent. */
  async send(ids?: readonly string[]): Promise<number> {
    if (!this.gateway || (ids && ids.length === 0)) return 0;
    const gateway = this.gateway;
    return withActor(this.db, systemActor, async (tx) => {
      const pending = await refundRepository.lockPendingRefunds(tx, REFUND_BATCH_SIZE, ids);
      let sent = 0;
      for (const refund of pending) {
        const payment = await paymentRepository.findById(tx, refund.paymentId);
        if (!payment?.stripePaymentIntentId) continue;
        const now = this.clock.now();
        try {
          const result = await gateway.refund(refund.id, payment.stripePaymentIntentId, refund.amountCents);
          await refundRepository.setRefundOutcome(
            tx,
            refund.id,
            { status: result.status === 'succeeded' ? 'succeeded' : 'submitted', stripeRefundId: result.id },
            now,
          );
          await paymentRepository.raiseRefunded(
            tx,
            payment.id,
            await refundRepository.refundedByUs(tx, payment.id),
            now,
          );
          sent++;
        } catch (error) {
          if (
            error instanceof Stripe.errors.StripeCardError ||
            error instanceof Stripe.errors.StripeInvalidRequestError
          ) {
            // Stripe refuses this refund for good (e.g. already refunded in the dashboard): record why.
            await refundRepository.setRefundOutcome(
              tx,
              refund.id,
              { status: 'failed', failureMessage: error.message },
              now,
            );
            this.logger.warn({ refundId: refund.id, err: error.message }, 'refund refused by Stripe');
          } else {
            // Network or Stripe outage: stays pending for the next run.
            this.logger.warn({ refundId: refund.id, err: error }, 'refund not sent; will retry');
          }
        }
      }
      return sent;
    });
  }
}
