import Stripe from 'stripe';
import type { StripeConfig } from '../core/config.ts';
import { PaymentUnavailableError } from './payment-errors.ts';

/** Network retries of the SDK; safe because every write carries an idempotency key. */
export const STRIPE_MAX_NETWORK_RETRIES = 2;
export const STRIPE_TIMEOUT_MS = 20_000;

export function createStripeClient(config: StripeConfig): Stripe {
  return new Stripe(config.secretKey, {
    maxNetworkRetries: STRIPE_MAX_NETWORK_RETRIES,
    timeout: STRIPE_TIMEOUT_MS,
    telemetry: false,
    appInfo: { name: 'swf-mobility' },
    ...(config.apiHost && { host: config.apiHost }),
    ...(config.apiPort && { port: config.apiPort }),
    ...(config.apiProtocol && { protocol: config.apiProtocol }),
  });
}

export interface IntentRequest {
  paymentId: string;
  bookingId: string;
  tenantId: string;
  amountCents: number;
  description: string;
  /** Set for subscriptions: the card is saved on the customer for off-session renewals. */
  customerId?: string;
}

export type OffSessionResult =
  | { outcome: 'succeeded'; intentId: string; paymentMethodId: string | null }
  | { outcome: 'failed'; intentId: string | null; message: string };

function metadata(request: IntentRequest) {
  return { paymentId: request.paymentId, bookingId: request.bookingId, tenantId: request.tenantId };
}

/**
 * The calls we make to Stripe, each with an idempotency key derived from our own row id, so a
 * retry (ours, the SDK's, or a second API copy) can never create a second charge or refund.
 */
export class StripeGateway {
  constructor(
    readonly stripe: Stripe,
    private readonly webhookSecret: string,
  ) {}

  /** Verifies the signature over the exact bytes received; throws on any mismatch. */
  constructEvent(rawBody: Buffer, signature: string): Stripe.Event {
    return this.stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret);
  }

  async ensureCustomer(accountId: string, email: string): Promise<string> {
    const customer = await this.call(() =>
      this.stripe.customers.create(
        { email, metadata: { accountId } },
        { idempotencyKey: `customer-${accountId}` },
      ),
    );
    return customer.id;
  }

  async createIntent(request: IntentRequest): Promise<{ id: string; clientSecret: string }> {
    const intent = await this.call(() =>
      this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: 'eur',
          description: request.description,
          metadata: metadata(request),
          automatic_payment_methods: { enabled: true },
          ...(request.customerId && { customer: request.customerId, setup_future_usage: 'off_session' }),
        },
        { idempotencyKey: `intent-${request.paymentId}` },
      ),
    );
    if (!intent.client_secret) throw new PaymentUnavailableError();
    return { id: intent.id, clientSecret: intent.client_secret };
  }

  /** Charges a saved card without the commuter present (subscription renewal). */
  async chargeOffSession(
    request: IntentRequest & { customerId: string; paymentMethodId: string },
  ): Promise<OffSessionResult> {
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: 'eur',
          description: request.description,
          metadata: metadata(request),
          customer: request.customerId,
          payment_method: request.paymentMethodId,
          off_session: true,
          confirm: true,
        },
        { idempotencyKey: `intent-${request.paymentId}` },
      );
      if (intent.status === 'succeeded') {
        const pm = intent.payment_method;
        return {
          outcome: 'succeeded',
          intentId: intent.id,
          paymentMethodId: typeof pm === 'string' ? pm : (pm?.id ?? null),
        };
      }
      // Off session nobody can answer 3-D Secure: anything but success is a failed renewal.
      return {
        outcome: 'failed',
        intentId: intent.id,
        message: `Payment needs the card holder (${intent.status})`,
      };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        const intent = (error.raw as { payment_intent?: { id?: string } }).payment_intent;
        return { outcome: 'failed', intentId: intent?.id ?? null, message: error.message };
      }
      throw new PaymentUnavailableError();
    }
  }

  /** Stops an unpaid intent (its hold ended); an intent that already succeeded or ended stays as it is. */
  async cancelIntent(intentId: string): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey: `cancel-${intentId}` });
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError) return;
      throw error;
    }
  }

  async refund(
    refundId: string,
    intentId: string,
    amountCents: number,
  ): Promise<{ id: string; status: string | null }> {
    const refund = await this.stripe.refunds.create(
      { payment_intent: intentId, amount: amountCents, metadata: { refundId } },
      { idempotencyKey: `refund-${refundId}` },
    );
    return { id: refund.id, status: refund.status };
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) throw new PaymentUnavailableError();
      throw error;
    }
  }
}
