import type { Clock } from '../core/clock.ts';
import type { Db, Tx } from '../core/db/database.ts';
import { BookingStateError, ForbiddenError, NotAuthenticatedError, NotFoundError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, systemActor, withActor } from '../core/tenancy.ts';
import { bookingRepository } from '../garages/booking.repository.ts';
import { type BookingService, cancelDecision, confirmDecision } from '../garages/booking.service.ts';
import type { Booking } from '../garages/booking.ts';
import { spaceRepository } from '../garages/space.repository.ts';
import { paymentRepository } from './payment.repository.ts';
import { PAYMENT_HOLD_EXTENSION_MINUTES, type Payment, type PaymentMethod, type Refund } from './payment.ts';
import { type Price, priceForPeriod, priceFromLines } from './pricing.ts';
import { refundRepository } from './refund.repository.ts';
import type { RefundExecutor } from './refund-executor.ts';
import { type CancellationRefund, cancellationRefund } from './refund-policy.ts';
import { type AfterCommit, refundRest } from './settlement.ts';
import type { StripeGateway } from './stripe-gateway.ts';
import { subscriptionRepository } from './subscription.repository.ts';
import type { Subscription } from './subscription.ts';
import { onPeriodPaid } from './subscription-lifecycle.ts';
import { tariffRepository } from './tariff.repository.ts';

export type PaymentMode = 'stripe' | 'pay_on_site';

/** A subscription's periods end with the subscription (cancelSubscription), not one by one. */
const subscriptionBookingError = () =>
  new BookingStateError(
    'This booking belongs to a subscription: cancel the subscription / Bitte das Abo kündigen',
  );

export interface PaymentConfig {
  mode: PaymentMode;
  publishableKey: string | null;
}

/**
 * Payment around the booking lifecycle: confirming a priced booking starts a Stripe payment
 * (the webhook confirms it, see webhook.service.ts), cancelling refunds by the town's policy.
 * Ownership is checked by reading the booking as the actor (row-level security); money is
 * then recorded as the system actor, in transactions that lock the booking first.
 */
export class PaymentService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bookings: BookingService,
    private readonly gateway: StripeGateway | null,
    private readonly refunds: RefundExecutor,
    private readonly publishableKey: string | null,
  ) {}

  config(): PaymentConfig {
    return this.gateway
      ? { mode: 'stripe', publishableKey: this.publishableKey }
      : { mode: 'pay_on_site', publishableKey: null };
  }

  /** Payments of bookings the actor may see, in the order of the ids (dataloader). */
  async byBookingIds(actor: Actor, bookingIds: readonly string[]): Promise<(Payment | null)[]> {
    const valid = bookingIds.filter(isUuid);
    const found = await withActor(this.db, actor, (tx) => paymentRepository.findByBookingIds(tx, valid));
    const byBooking = new Map(found.map((p) => [p.bookingId, p]));
    return bookingIds.map((id) => byBooking.get(id) ?? null);
  }

  async refundsOf(actor: Actor, paymentId: string): Promise<Refund[]> {
    return withActor(this.db, actor, (tx) => refundRepository.listRefunds(tx, paymentId));
  }

  /**
   * The owner confirms a HELD booking. Free bookings, and every priced one when no Stripe key
   * is configured ("pay on site"), are confirmed at once. Otherwise a PaymentIntent is created
   * (once per booking: idempotency key from the payment id) and the booking stays HELD, its
   * hold extended once (PAYMENT_HOLD_EXTENSION_MINUTES) while the commuter pays in the browser
   * with `payment.clientSecret`; only the `payment_intent.succeeded` webhook confirms it.
   */
  async confirmBooking(actor: Actor, id: string): Promise<Booking> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    if (actor.role !== 'commuter')
      throw new ForbiddenError('Staff accounts cannot book; use a commuter account');
    const seen = isUuid(id) ? await this.bookings.get(actor, id) : null;
    if (!seen || seen.accountId !== actor.accountId) throw new NotFoundError('Booking not found');
    if (confirmDecision(seen, this.clock.now()) === null) return seen;

    const { price, subscription } = await withActor(this.db, systemActor, (tx) => this.priceOf(tx, seen));
    const method: PaymentMethod = price.totalCents === 0 ? 'free' : this.gateway ? 'stripe' : 'pay_on_site';
    if (method !== 'stripe') return this.confirmWithoutStripe(seen, price, method, subscription);

    const gateway = this.gateway!;
    const customerId = subscription ? await this.ensureCustomer(seen.accountId) : undefined;
    const { booking, payment } = await withActor(this.db, systemActor, async (tx) => {
      const locked = await this.lockConfirmable(tx, seen.id);
      const now = this.clock.now();
      const payment = await paymentRepository.insertOrGet(tx, {
        ...this.newPayment(locked, price, 'stripe', subscription),
        status: 'requires_payment',
        startedAt: now,
        paidAt: null,
      });
      const until = new Date(payment.startedAt.getTime() + PAYMENT_HOLD_EXTENSION_MINUTES * 60_000);
      await paymentRepository.extendHold(tx, locked.id, until);
      return { booking: (await bookingRepository.findById(tx, locked.id))!, payment };
    });
    if (payment.stripePaymentIntentId || payment.status === 'succeeded') return booking;

    const intent = await gateway.createIntent({
      paymentId: payment.id,
      bookingId: booking.id,
      tenantId: booking.tenantId,
      amountCents: payment.amountCents + payment.depositCents,
      description: subscription ? `Fahrradbox-Abo ${booking.tenantId}` : `Fahrradbox ${booking.tenantId}`,
      ...(customerId && { customerId }),
    });
    await withActor(this.db, systemActor, (tx) =>
      paymentRepository.setIntent(tx, payment.id, intent.id, intent.clientSecret),
    );
    return booking;
  }

  /**
   * The owner (before the start) or the town's operators cancel. A paid booking is refunded in
   * the same transaction's decision: by the town's policy when the commuter cancels, in full
   * when the town does. An unpaid intent is stopped so it cannot be paid any more.
   */
  async cancelBooking(actor: Actor, id: string): Promise<Booking> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    if (actor.role === 'planner') throw new ForbiddenError('Planners cannot change bookings');
    const seen = isUuid(id) ? await this.bookings.get(actor, id) : null;
    if (!seen) throw new NotFoundError('Booking not found');
    const byTown = isStaff(actor);
    if (!byTown && seen.accountId !== actor.accountId) throw new NotFoundError('Booking not found');

    const after: AfterCommit = { refundIds: [] };
    const { booking, intentToStop } = await withActor(this.db, systemActor, async (tx) => {
      const locked = await bookingRepository.findByIdForUpdate(tx, seen.id);
      if (!locked) throw new NotFoundError('Booking not found');
      if (await subscriptionRepository.findByBookingId(tx, locked.id)) throw subscriptionBookingError();
      if (cancelDecision(locked) === null) return { booking: locked, intentToStop: null };
      const cancelled = await bookingRepository.setStatus(tx, locked.id, 'cancelled');
      const payment = await paymentRepository.lockByBookingId(tx, locked.id);
      const settings = (await paymentRepository.tenantSettings(tx, locked.tenantId))!;
      const refund = cancellationRefund(payment ?? null, settings, byTown);
      if (payment && refund.refundCents > 0) {
        await refundRest(tx, payment, 'cancellation', after, refund.refundCents);
      }
      const unpaid = payment?.status === 'requires_payment' || payment?.status === 'failed';
      return { booking: cancelled, intentToStop: unpaid ? payment.stripePaymentIntentId : null };
    });
    await this.refunds.send(after.refundIds).catch(() => undefined);
    if (intentToStop && this.gateway) await this.gateway.cancelIntent(intentToStop).catch(() => undefined);
    return booking;
  }

  /** What cancelling now would refund, shown before the commuter decides. */
  async cancellationQuote(actor: Actor, id: string): Promise<CancellationRefund> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    const seen = isUuid(id) ? await this.bookings.get(actor, id) : null;
    if (!seen) throw new NotFoundError('Booking not found');
    cancelDecision(seen);
    return withActor(this.db, systemActor, async (tx) => {
      if (await subscriptionRepository.findByBookingId(tx, seen.id)) throw subscriptionBookingError();
      const [payment] = await paymentRepository.findByBookingIds(tx, [seen.id]);
      const settings = (await paymentRepository.tenantSettings(tx, seen.tenantId))!;
      return cancellationRefund(payment ?? null, settings, isStaff(actor));
    });
  }

  /** The price of a booking: its subscription's monthly price, else the tariff's price of its period. */
  private async priceOf(
    tx: Tx,
    booking: Booking,
  ): Promise<{ price: Price; subscription: Subscription | null }> {
    const subscription = (await subscriptionRepository.findByBookingId(tx, booking.id)) ?? null;
    if (subscription) {
      if (subscription.nextBookingId === booking.id) {
        throw new BookingStateError('This period is renewed automatically / Wird automatisch verlängert');
      }
      const line = {
        unit: 'SUBSCRIPTION_MONTH' as const,
        quantity: 1,
        unitPriceCents: subscription.priceCents,
      };
      return {
        price: priceFromLines([{ ...line, amountCents: line.unitPriceCents }], subscription.vatRateBp, 0),
        subscription,
      };
    }
    const [existing] = await paymentRepository.findByBookingIds(tx, [booking.id]);
    if (existing) {
      // The price was fixed when payment started; a tariff change since does not move it.
      return {
        price: priceFromLines(existing.lines, existing.vatRateBp, existing.depositCents),
        subscription,
      };
    }
    const space = await spaceRepository.findById(tx, booking.spaceId);
    const tariff = space ? await tariffRepository.findActive(tx, space.tenantId, space.type) : undefined;
    return { price: priceForPeriod(tariff ?? null, booking.from, booking.to), subscription };
  }

  private newPayment(
    booking: Booking,
    price: Price,
    method: PaymentMethod,
    subscription: Subscription | null,
  ) {
    return {
      tenantId: booking.tenantId,
      bookingId: booking.id,
      accountId: booking.accountId,
      subscriptionId: subscription?.id ?? null,
      method,
      amountCents: price.amountCents,
      vatCents: price.vatCents,
      vatRateBp: price.vatRateBp,
      depositCents: price.depositCents,
      lines: price.lines,
    };
  }

  private async lockConfirmable(tx: Tx, id: string): Promise<Booking> {
    const locked = await bookingRepository.findByIdForUpdate(tx, id);
    if (!locked) throw new NotFoundError('Booking not found');
    confirmDecision(locked, this.clock.now());
    return locked;
  }

  private async confirmWithoutStripe(
    seen: Booking,
    price: Price,
    method: 'free' | 'pay_on_site',
    subscription: Subscription | null,
  ): Promise<Booking> {
    return withActor(this.db, systemActor, async (tx) => {
      const locked = await this.lockConfirmable(tx, seen.id);
      if (confirmDecision(locked, this.clock.now()) === null) return locked;
      const now = this.clock.now();
      await paymentRepository.insertOrGet(tx, {
        ...this.newPayment(locked, price, method, subscription),
        status: method === 'free' ? 'succeeded' : 'due_on_site',
        startedAt: now,
        paidAt: method === 'free' ? now : null,
      });
      const confirmed = await bookingRepository.setStatus(tx, locked.id, 'confirmed');
      if (subscription) await onPeriodPaid(tx, subscription.id, confirmed, null, now);
      return confirmed;
    });
  }

  /** The commuter's Stripe customer (for saved cards), created once per account. */
  async ensureCustomer(accountId: string): Promise<string> {
    const existing = await withActor(this.db, systemActor, (tx) =>
      paymentRepository.findCustomer(tx, accountId),
    );
    if (existing) return existing;
    const account = await withActor(this.db, systemActor, (tx) =>
      subscriptionRepository.accountEmail(tx, accountId),
    );
    const customerId = await this.gateway!.ensureCustomer(accountId, account?.email ?? '');
    await withActor(this.db, systemActor, (tx) => paymentRepository.saveCustomer(tx, accountId, customerId));
    return (await withActor(this.db, systemActor, (tx) => paymentRepository.findCustomer(tx, accountId)))!;
  }
}
