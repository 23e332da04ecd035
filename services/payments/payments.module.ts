import type { Clock } from '../core/clock.ts';
import type { StripeConfig } from '../core/config.ts';
import type { Db } from '../core/db/database.ts';
import type { Logger } from '../core/logging.ts';
import type { BookingService } from '../garages/booking.service.ts';
import { PaymentService } from './payment.service.ts';
import { PaymentJobs } from './payment-jobs.ts';
import { ReceiptService } from './receipt.service.ts';
import { RefundExecutor } from './refund-executor.ts';
import { createStripeClient, StripeGateway } from './stripe-gateway.ts';
import { SubscriptionService } from './subscription.service.ts';
import { TariffService } from './tariff.service.ts';
import { WebhookService } from './webhook.service.ts';

export interface PaymentsModule {
  tariffs: TariffService;
  payments: PaymentService;
  subscriptions: SubscriptionService;
  receipts: ReceiptService;
  /** Null without Stripe configuration. */
  webhooks: WebhookService | null;
  jobs: PaymentJobs;
}

/**
 * Wires tariffs and payments once per process (the API and the payments service alike).
 * Without a Stripe configuration there is no gateway: priced bookings are "pay on site".
 */
export function createPaymentsModule(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  stripe: StripeConfig | undefined;
  bookings: BookingService;
  /** Signs receipt links; derived from the JWT secret by the caller. */
  receiptSecret: string;
}): PaymentsModule {
  const { db, clock, logger } = deps;
  const gateway = deps.stripe
    ? new StripeGateway(createStripeClient(deps.stripe), deps.stripe.webhookSecret)
    : null;
  const refunds = new RefundExecutor(db, clock, gateway, logger);
  return {
    tariffs: new TariffService(db, clock),
    payments: new PaymentService(
      db,
      clock,
      deps.bookings,
      gateway,
      refunds,
      deps.stripe?.publishableKey ?? null,
    ),
    subscriptions: new SubscriptionService(db, clock, deps.bookings, gateway),
    receipts: new ReceiptService(db, deps.receiptSecret),
    webhooks: gateway ? new WebhookService(db, clock, gateway, refunds, logger) : null,
    jobs: new PaymentJobs(db, clock, gateway, refunds, logger),
  };
}
