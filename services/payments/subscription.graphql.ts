import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { offsetConnection } from '../api/graphql/pagination.ts';
import { IdempotencyConflictError, NotAuthenticatedError, SpaceUnavailableError } from '../core/errors.ts';
import { BookingRef } from '../garages/booking.graphql.ts';
import { SiteRef } from '../garages/site.graphql.ts';
import { SpaceRef } from '../garages/space.graphql.ts';
import { PaymentUnavailableError } from './payment-errors.ts';
import type { Subscription } from './subscription.ts';

/** The start response carries the first booking's PIN, shown once like createBooking's. */
type SubscriptionView = Subscription & { firstPin?: string | null };

const SubscriptionStatusEnum = builder.enumType('SpaceSubscriptionStatus', {
  values: ['INCOMPLETE', 'ACTIVE', 'ENDED'] as const,
  description: 'INCOMPLETE until the first month is paid (confirmBooking on currentBooking), then ACTIVE',
});

const SubscriptionEndReasonEnum = builder.enumType('SpaceSubscriptionEndReason', {
  values: ['CANCELLED', 'RENEWAL_FAILED', 'SPACE_TAKEN', 'NOT_PAID'] as const,
});

const SubscriptionRef = builder.objectRef<SubscriptionView>('SpaceSubscription').implement({
  description: 'A space by the month (30 days), renewed with the saved card until cancelled',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: SubscriptionStatusEnum, resolve: (s) => s.status.toUpperCase() as 'ACTIVE' }),
    space: t.field({ type: SpaceRef, resolve: (s) => s.spaceId }),
    site: t.field({ type: SiteRef, resolve: (s) => s.siteId }),
    priceCents: t.exposeInt('priceCents', { description: 'Per period, VAT included' }),
    vatRateBasisPoints: t.exposeInt('vatRateBp'),
    currentPeriodStart: t.field({ type: 'DateTime', resolve: (s) => s.currentPeriodStart }),
    currentPeriodEnd: t.field({ type: 'DateTime', resolve: (s) => s.currentPeriodEnd }),
    cancelAtPeriodEnd: t.exposeBoolean('cancelAtPeriodEnd'),
    endReason: t.field({
      type: SubscriptionEndReasonEnum,
      nullable: true,
      resolve: (s) => (s.endReason ? (s.endReason.toUpperCase() as 'CANCELLED') : null),
    }),
    endedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.endedAt }),
    currentBooking: t.field({
      type: BookingRef,
      nullable: true,
      description: 'The latest paid period (before the first payment: the booking to confirm and pay)',
      resolve: async (s, _args, ctx) => {
        const booking = await ctx.services.bookings.get(ctx.actor, s.currentBookingId);
        return booking && { ...booking, accessPin: s.firstPin ?? null };
      },
    }),
    nextBooking: t.field({
      type: BookingRef,
      nullable: true,
      description: 'The next period, HELD for you until the renewal pays for it',
      resolve: (s, _args, ctx) =>
        s.nextBookingId ? ctx.services.bookings.get(ctx.actor, s.nextBookingId) : null,
    }),
  }),
});

const SubscriptionConnection = builder.connectionObject(
  { type: SubscriptionRef, name: 'SpaceSubscriptionConnection' },
  { name: 'SpaceSubscriptionEdge' },
);

const StartSubscriptionInput = builder.inputType('StartSubscriptionInput', {
  fields: (t) => ({
    spaceId: t.id({ required: true }),
    from: t.field({ type: 'DateTime', required: true }),
    idempotencyKey: t.string({ required: true }),
  }),
});

builder.queryFields((t) => ({
  mySubscriptions: t.field({
    type: SubscriptionConnection,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) => {
      if (!ctx.actor.accountId) throw new NotAuthenticatedError();
      return offsetConnection(args, (page) => ctx.services.subscriptions.listMine(ctx.actor, page));
    },
  }),
}));

builder.mutationFields((t) => ({
  startSubscription: t.field({
    type: SubscriptionRef,
    description:
      'Holds the space for the first 30 days; then confirmBooking(currentBooking.id) and pay like a booking (the card is saved for renewals)',
    args: { input: t.arg({ type: StartSubscriptionInput, required: true }) },
    errors: {
      types: [...commonErrors, SpaceUnavailableError, IdempotencyConflictError, PaymentUnavailableError],
      union: { name: 'StartSubscriptionResult' },
    },
    resolve: async (_root, { input }, ctx) => {
      const started = await ctx.services.subscriptions.start(ctx.actor, input);
      return { ...started.subscription, firstPin: started.pin };
    },
  }),
  cancelSubscription: t.field({
    type: SubscriptionRef,
    description: 'Ends the subscription with the paid period; nothing is refunded for it',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: commonErrors, union: { name: 'CancelSubscriptionResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.subscriptions.cancel(ctx.actor, id),
  }),
}));
