import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import type { Logger } from '../core/logging.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { bookingRepository } from '../garages/booking.repository.ts';
import { paymentRepository } from './payment.repository.ts';
import { PaymentUnavailableError } from './payment-errors.ts';
import { priceFromLines } from './pricing.ts';
import { refundRepository } from './refund.repository.ts';
import type { RefundExecutor } from './refund-executor.ts';
import {
  type AfterCommit,
  refundRest,
  settleCancelled,
  settleFailed,
  settleSucceeded,
} from './settlement.ts';
import type { StripeGateway } from './stripe-gateway.ts';
import { subscriptionRepository } from './subscription.repository.ts';
import { RENEWAL_LEAD_HOURS, type Subscription } from './subscription.ts';
import { endLapsedSubscriptions } from './subscription-lifecycle.ts';

export const PAYMENT_JOB_BATCH_SIZE = 50;

/**
 * The payments' background work, idempotent so that several processes may run it: send
 * pending refunds, stop intents of holds that ended, return deposits of finished bookings,
 * renew subscriptions that are due and end those whose period is over.
 */
export class PaymentJobs {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly gateway: StripeGateway | null,
    private readonly refunds: RefundExecutor,
    private readonly logger: Logger,
  ) {}

  async runOnce(): Promise<void> {
    await this.refunds.send();
    await this.stopAbandonedIntents();
    await this.returnDeposits();
    await this.renewDue();
    await withActor(this.db, systemActor, (tx) =>
      endLapsedSubscriptions(tx, this.clock.now(), PAYMENT_JOB_BATCH_SIZE),
    );
  }

  /** An intent whose booking expired or was cancelled must not be payable any more. */
  async stopAbandonedIntents(): Promise<void> {
    if (!this.gateway) return;
    const abandoned = await withActor(this.db, systemActor, (tx) =>
      paymentRepository.listAbandonedIntents(tx, PAYMENT_JOB_BATCH_SIZE),
    );
    for (const p of abandoned) {
      try {
        await this.gateway.cancelIntent(p.stripe_payment_intent_id!);
        await withActor(this.db, systemActor, (tx) => settleCancelled(tx, p.id, this.clock.now()));
      } catch (err) {
        this.logger.warn({ err, paymentId: p.id }, 'could not cancel payment intent; will retry');
      }
    }
  }

  async returnDeposits(): Promise<void> {
    const after: AfterCommit = { refundIds: [] };
    await withActor(this.db, systemActor, async (tx) => {
      for (const payment of await refundRepository.listDepositsToReturn(tx, PAYMENT_JOB_BATCH_SIZE)) {
        const rest = payment.amountCents + payment.depositCents - payment.refundedCents;
        await refundRest(tx, payment, 'deposit', after, Math.min(payment.depositCents, rest));
      }
    });
    await this.refunds.send(after.refundIds);
  }

  async renewDue(): Promise<void> {
    const horizon = new Date(this.clock.now().getTime() + RENEWAL_LEAD_HOURS * 3_600_000);
    const due = await withActor(this.db, systemActor, (tx) =>
      subscriptionRepository.listDueForRenewal(tx, horizon, PAYMENT_JOB_BATCH_SIZE),
    );
    for (const s of due) {
      try {
        await this.renew(s);
      } catch (err) {
        if (!(err instanceof PaymentUnavailableError)) throw err;
        this.logger.warn({ subscriptionId: s.id }, 'renewal not charged: Stripe unavailable; will retry');
      }
    }
  }

  /** Charges the next period off session with the saved card; the outcome settles like a webhook. */
  private async renew(s: Subscription): Promise<void> {
    const price = priceFromLines(
      [{ unit: 'SUBSCRIPTION_MONTH', quantity: 1, unitPriceCents: s.priceCents, amountCents: s.priceCents }],
      s.vatRateBp,
      0,
    );
    const payment = await withActor(this.db, systemActor, async (tx) => {
      const locked = await subscriptionRepository.lockById(tx, s.id);
      if (!locked?.nextBookingId || locked.status !== 'active' || locked.cancelAtPeriodEnd) return null;
      const next = await bookingRepository.findByIdForUpdate(tx, locked.nextBookingId);
      if (next?.status !== 'held') return null;
      return paymentRepository.insertOrGet(tx, {
        tenantId: next.tenantId,
        bookingId: next.id,
        accountId: next.accountId,
        subscriptionId: s.id,
        method: price.totalCents === 0 ? 'free' : 'stripe',
        status: 'requires_payment',
        amountCents: price.amountCents,
        vatCents: price.vatCents,
        vatRateBp: price.vatRateBp,
        depositCents: 0,
        lines: price.lines,
        startedAt: this.clock.now(),
        paidAt: null,
      });
    });
    if (payment?.status !== 'requires_payment') return;

    const after: AfterCommit = { refundIds: [] };
    if (payment.method === 'free') {
      await withActor(this.db, systemActor, (tx) =>
        settleSucceeded(tx, payment.id, null, this.clock.now(), after),
      );
      return;
    }
    const customerId = await withActor(this.db, systemActor, (tx) =>
      paymentRepository.findCustomer(tx, s.accountId),
    );
    if (!this.gateway || !customerId || !s.stripePaymentMethodId) {
      await withActor(this.db, systemActor, (tx) =>
        settleFailed(
          tx,
          payment.id,
          'No saved payment method / Keine gespeicherte Zahlungsart',
          this.clock.now(),
        ),
      );
      return;
    }
    const result = await this.gateway.chargeOffSession({
      paymentId: payment.id,
      bookingId: payment.bookingId,
      tenantId: payment.tenantId,
      amountCents: payment.amountCents,
      description: `Fahrradbox-Abo ${payment.tenantId} (Verlängerung)`,
      customerId,
      paymentMethodId: s.stripePaymentMethodId,
    });
    await withActor(this.db, systemActor, async (tx) => {
      if (result.intentId) await paymentRepository.setIntent(tx, payment.id, result.intentId, null);
      if (result.outcome === 'succeeded') {
        await settleSucceeded(tx, payment.id, result.paymentMethodId, this.clock.now(), after);
      } else {
        await settleFailed(tx, payment.id, result.message, this.clock.now());
      }
    });
    await this.refunds.send(after.refundIds);
  }
}
