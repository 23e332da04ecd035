import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import {
  ForbiddenError,
  IdempotencyConflictError,
  NotAuthenticatedError,
  NotFoundError,
  ValidationError,
} from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, systemActor, withActor } from '../core/tenancy.ts';
import { bookingRepository } from '../garages/booking.repository.ts';
import type { BookingService } from '../garages/booking.service.ts';
import type { Booking } from '../garages/booking.ts';
import { spaceRepository } from '../garages/space.repository.ts';
import { paymentRepository } from './payment.repository.ts';
import { PaymentUnavailableError } from './payment-errors.ts';
import type { StripeGateway } from './stripe-gateway.ts';
import { subscriptionRepository } from './subscription.repository.ts';
import { periodEnd, type Subscription } from './subscription.ts';
import { tariffRepository } from './tariff.repository.ts';

export interface StartSubscriptionInput {
  spaceId: string;
  from: Date;
  idempotencyKey: string;
}

export interface StartedSubscription {
  subscription: Subscription;
  booking: Booking;
  pin: string | null;
}

/**
 * Monthly subscriptions of one space, renewed until cancelled. We renew them ourselves with
 * off-session PaymentIntents on the saved card (not Stripe Billing): every period is a booking
 * in our database, so the exclusion constraint keeps the space for the subscriber, the price
 * comes from the town's tariff without mirroring products and prices into Stripe, and the
 * same flow works for free tariffs. See payment-jobs.ts for the renewal.
 */
export class SubscriptionService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bookings: BookingService,
    private readonly gateway: StripeGateway | null,
  ) {}

  /** Holds the space for the first period; `confirmBooking` on that booking starts the payment. */
  async start(actor: Actor, input: StartSubscriptionInput): Promise<StartedSubscription> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    if (actor.role !== 'commuter')
      throw new ForbiddenError('Staff accounts cannot book; use a commuter account');
    if (!this.gateway) {
      throw new PaymentUnavailableError(
        'Subscriptions need online payment, which this installation does not offer / Abos nur mit Online-Zahlung',
      );
    }
    if (!isUuid(input.spaceId)) throw new NotFoundError('Space not found');
    const tariff = await withActor(this.db, actor, async (tx) => {
      const space = await spaceRepository.findById(tx, input.spaceId);
      if (!space || space.retiredAt) throw new NotFoundError('Space not found');
      return tariffRepository.findActive(tx, space.tenantId, space.type);
    });
    if (tariff?.subscriptionMonthCents == null) {
      throw new ValidationError(
        'This space is not offered as a subscription / Kein Abo für diesen Platz',
        'spaceId',
      );
    }
    const created = await this.bookings.create(actor, { ...input, to: periodEnd(input.from) });
    const booking = created.booking;
    const subscription = await withActor(this.db, systemActor, async (tx) => {
      const existing = await subscriptionRepository.findByBookingId(tx, booking.id);
      if (existing) return existing;
      // The key was used for an ordinary booking that has moved on: not this request.
      if (booking.status !== 'held') throw new IdempotencyConflictError();
      return subscriptionRepository.insertOrGet(tx, {
        tenantId: booking.tenantId,
        siteId: booking.siteId,
        spaceId: booking.spaceId,
        accountId: booking.accountId,
        tariffId: tariff.id,
        priceCents: tariff.subscriptionMonthCents!,
        vatRateBp: tariff.vatRateBp,
        firstBookingId: booking.id,
        currentPeriodStart: booking.from,
        currentPeriodEnd: booking.to,
      });
    });
    return { subscription, booking, pin: created.pin };
  }

  /**
   * Ends the subscription with its paid period (the reservation of the next one is released);
   * one that was never paid ends at once. The owner or the town's operators may cancel.
   */
  async cancel(actor: Actor, id: string): Promise<Subscription> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    if (actor.role === 'planner') throw new ForbiddenError('Planners cannot change subscriptions');
    const seen = isUuid(id)
      ? await withActor(this.db, actor, (tx) => subscriptionRepository.findById(tx, id))
      : undefined;
    if (!seen || (!isStaff(actor) && seen.accountId !== actor.accountId))
      throw new NotFoundError('Subscription not found');
    const { subscription, intentToStop } = await withActor(this.db, systemActor, async (tx) => {
      const s = (await subscriptionRepository.lockById(tx, id))!;
      if (s.status === 'ended' || (s.cancelAtPeriodEnd && s.status === 'active'))
        return { subscription: s, intentToStop: null };
      const now = this.clock.now();
      const release = s.status === 'incomplete' ? s.currentBookingId : s.nextBookingId;
      let intentToStop: string | null = null;
      if (release) {
        const booking = await bookingRepository.findByIdForUpdate(tx, release);
        if (booking?.status === 'held') await bookingRepository.setStatus(tx, booking.id, 'cancelled');
        const payment = await paymentRepository.lockByBookingId(tx, release);
        if (payment && (payment.status === 'requires_payment' || payment.status === 'failed')) {
          intentToStop = payment.stripePaymentIntentId;
        }
      }
      const subscription = await subscriptionRepository.update(
        tx,
        s.id,
        s.status === 'incomplete'
          ? { status: 'ended', endReason: 'cancelled', endedAt: now }
          : { cancelAtPeriodEnd: true, endReason: 'cancelled', nextBookingId: null },
        now,
      );
      return { subscription, intentToStop };
    });
    if (intentToStop && this.gateway) await this.gateway.cancelIntent(intentToStop).catch(() => undefined);
    return subscription;
  }

  async listMine(actor: Actor, page: { limit: number; offset: number }): Promise<Subscription[]> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    const accountId = actor.accountId;
    return withActor(this.db, actor, (tx) => subscriptionRepository.listByAccount(tx, accountId, page));
  }

  async byId(actor: Actor, id: string): Promise<Subscription | null> {
    if (!actor.accountId || !isUuid(id)) return null;
    return (await withActor(this.db, actor, (tx) => subscriptionRepository.findById(tx, id))) ?? null;
  }
}
