import type Stripe from 'stripe';
import type { Clock } from '../core/clock.ts';
import type { Db, Tx } from '../core/db/database.ts';
import { isUuid } from '../core/ids.ts';
import type { Logger } from '../core/logging.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { paymentRepository } from './payment.repository.ts';
import type { RefundExecutor } from './refund-executor.ts';
import {
  type AfterCommit,
  settleCancelled,
  settleFailed,
  settleRefunded,
  settleSucceeded,
} from './settlement.ts';
import type { StripeGateway } from './stripe-gateway.ts';

export class WebhookSignatureError extends Error {}

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored';

/** Our payment id from an object's metadata; anything else (another integration's data) is ignored. */
function paymentIdOf(metadata: Stripe.Metadata | null | undefined): string | undefined {
  const id = metadata?.paymentId;
  return id && isUuid(id) ? id : undefined;
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

/**
 * Stripe webhook events, verified against the raw body and the signing secret, processed
 * exactly once: the event id is inserted in the same transaction as its effect, so a replay,
 * or a second delivery racing the first, hits the primary key and changes nothing. Each
 * handler checks the state it finds (see settlement.ts), so events may come in any order.
 */
export class WebhookService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly gateway: StripeGateway,
    private readonly refunds: RefundExecutor,
    private readonly logger: Logger,
  ) {}

  verify(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    if (!signature) throw new WebhookSignatureError('Stripe-Signature header missing');
    try {
      return this.gateway.constructEvent(rawBody, signature);
    } catch (error) {
      throw new WebhookSignatureError(error instanceof Error ? error.message : 'signature invalid');
    }
  }

  async process(event: Stripe.Event): Promise<WebhookOutcome> {
    const after: AfterCommit = { refundIds: [] };
    const outcome = await withActor(this.db, systemActor, async (tx) => {
      const first = await paymentRepository.recordEvent(
        tx,
        event.id,
        event.type,
        new Date(event.created * 1000),
      );
      if (!first) return 'duplicate' as const;
      return (await this.apply(tx, event, after)) ? ('processed' as const) : ('ignored' as const);
    });
    if (after.refundIds.length > 0) {
      // Sent after commit; if Stripe is unreachable now the background run sends them later.
      await this.refunds
        .send(after.refundIds)
        .catch((err: unknown) => this.logger.warn({ err }, 'refund deferred'));
    }
    this.logger.info({ eventId: event.id, type: event.type, outcome }, 'stripe event');
    return outcome;
  }

  /** Returns false for events that concern no payment of ours. */
  private async apply(tx: Tx, event: Stripe.Event, after: AfterCommit): Promise<boolean> {
    const now = this.clock.now();
    switch (event.type) {
      case 'payment_intent.succeeded':
      case 'payment_intent.payment_failed':
      case 'payment_intent.canceled': {
        const intent = event.data.object;
        const payment = await paymentRepository.findForIntent(tx, intent.id, paymentIdOf(intent.metadata));
        if (!payment) return false;
        if (event.type === 'payment_intent.succeeded') {
          await settleSucceeded(tx, payment.id, idOf(intent.payment_method), now, after);
        } else if (event.type === 'payment_intent.payment_failed') {
          await settleFailed(tx, payment.id, intent.last_payment_error?.message ?? null, now);
        } else {
          await settleCancelled(tx, payment.id, now);
        }
        return true;
      }
      case 'charge.refunded': {
        const charge = event.data.object;
        const intentId = idOf(charge.payment_intent);
        if (!intentId) return false;
        const payment = await paymentRepository.findForIntent(tx, intentId, paymentIdOf(charge.metadata));
        if (!payment) return false;
        await settleRefunded(tx, payment.id, charge.amount_refunded, now);
        return true;
      }
      default:
        return false;
    }
  }
}
