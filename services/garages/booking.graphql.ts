import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { BookingStateError, IdempotencyConflictError, SpaceUnavailableError } from '../core/errors.ts';
import { PaymentUnavailableError } from '../payments/payment-errors.ts';
import type { Booking } from './booking.ts';
import { BOOKING_STATUSES } from './booking.ts';
import { myRecords, pageArgs, periodPageArgs, recordsInPeriod } from './listing.graphql.ts';
import { SiteRef } from './site.graphql.ts';
import { SpaceRef } from './space.graphql.ts';

type BookingView = Booking & { accessPin?: string | null };

const BookingStatusEnum = builder.enumType('BookingStatus', {
  values: BOOKING_STATUSES.map((s) => s.toUpperCase()) as Uppercase<(typeof BOOKING_STATUSES)[number]>[],
  description: 'HELD until confirmed (or EXPIRED), then CONFIRMED, ACTIVE during the period, COMPLETED',
});

export const BookingRef = builder.objectRef<BookingView>('Booking').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({
      type: BookingStatusEnum,
      resolve: (b) => b.status.toUpperCase() as Uppercase<Booking['status']>,
    }),
    from: t.field({ type: 'DateTime', resolve: (b) => b.from }),
    to: t.field({ type: 'DateTime', resolve: (b) => b.to }),
    holdExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'A HELD booking must be confirmed before this, or it expires and frees the space',
      resolve: (b) => b.holdExpiresAt,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (b) => b.createdAt }),
    space: t.field({ type: SpaceRef, resolve: (b) => b.spaceId }),
    site: t.field({ type: SiteRef, resolve: (b) => b.siteId }),
    accessPin: t.string({
      nullable: true,
      description:
        'The keypad PIN, present only in the response that created the booking: it is stored hashed',
      resolve: (b) => b.accessPin ?? null,
    }),
    qrToken: t.string({
      nullable: true,
      description:
        'Signed QR code content for the lock, for the owner; valid in the period plus the town’s grace',
      resolve: (b, _args, ctx) => ctx.services.bookings.qrToken(ctx.actor, b),
    }),
  }),
});

export const BookingConnection = builder.connectionObject(
  { type: BookingRef, name: 'BookingConnection' },
  { name: 'BookingEdge' },
);

const CreateBookingInput = builder.inputType('CreateBookingInput', {
  fields: (t) => ({
    spaceId: t.id({ required: true }),
    from: t.field({ type: 'DateTime', required: true }),
    to: t.field({ type: 'DateTime', required: true }),
    idempotencyKey: t.string({
      required: true,
      description: 'Any unique string per intended booking: a retry with the same key never books twice',
    }),
  }),
});

const bookingErrors = [...commonErrors, BookingStateError];

builder.queryFields((t) => ({
  myBookings: t.field({
    type: BookingConnection,
    args: pageArgs(t.arg),
    resolve: (_root, args, ctx) => myRecords(ctx.services.bookings, ctx, args),
  }),
  booking: t.field({
    type: BookingRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.bookings.get(ctx.actor, id),
  }),
  tenantBookings: t.field({
    type: BookingConnection,
    description: 'Staff: the bookings of your town that overlap [from, to)',
    args: periodPageArgs(t.arg),
    resolve: (_root, args, ctx) => recordsInPeriod(ctx.services.bookings, ctx, args),
  }),
}));

builder.mutationFields((t) => ({
  createBooking: t.field({
    type: BookingRef,
    description: 'Holds a space for the period; confirm it within the town’s hold time',
    args: { input: t.arg({ type: CreateBookingInput, required: true }) },
    errors: {
      types: [...commonErrors, SpaceUnavailableError, IdempotencyConflictError],
      union: { name: 'CreateBookingResult' },
    },
    resolve: async (_root, { input }, ctx) => {
      const { booking, pin } = await ctx.services.bookings.create(ctx.actor, input);
      return { ...booking, accessPin: pin };
    },
  }),
  confirmBooking: t.field({
    type: BookingRef,
    description:
      'Free or pay-on-site bookings are CONFIRMED at once. Priced bookings with online payment stay HELD: pay with payment.clientSecret; the payment confirms them',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [...bookingErrors, PaymentUnavailableError], union: { name: 'ConfirmBookingResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.payments.confirmBooking(ctx.actor, id),
  }),
  cancelBooking: t.field({
    type: BookingRef,
    description: 'Refunds by the town’s policy (see cancellationQuote); the deposit always comes back',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: bookingErrors, union: { name: 'CancelBookingResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.payments.cancelBooking(ctx.actor, id),
  }),
  markNoShow: t.field({
    type: BookingRef,
    description: 'Operators: the commuter never came; frees the space for the waitlist',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: bookingErrors, union: { name: 'MarkNoShowResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.bookings.markNoShow(ctx.actor, id),
  }),
}));
