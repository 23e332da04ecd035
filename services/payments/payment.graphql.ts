import { builder } from '../api/graphql/builder.ts';
import type { GraphQLContext } from '../api/graphql/context.ts';
import { commonErrors, ErrorInterface } from '../api/graphql/errors.graphql.ts';
import { BookingStateError } from '../core/errors.ts';
import { BookingRef } from '../garages/booking.graphql.ts';
import type { PaymentConfig } from './payment.service.ts';
import { formatReceiptNumber, type Payment, paymentState, type Refund, totalCents } from './payment.ts';
import { PaymentUnavailableError } from './payment-errors.ts';
import type { CancellationRefund } from './refund-policy.ts';
import { PriceLineRef } from './tariff.graphql.ts';

builder.objectType(PaymentUnavailableError, {
  name: 'PaymentUnavailableError',
  description: 'Online payment is not possible right now (or not offered); try again later.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof PaymentUnavailableError,
});

const PaymentModeEnum = builder.enumType('PaymentMode', {
  values: ['STRIPE', 'PAY_ON_SITE'] as const,
  description: 'STRIPE: pay in the app with the Stripe Payment Element; PAY_ON_SITE: no online payment here',
});

const PaymentMethodEnum = builder.enumType('PaymentMethod', {
  values: ['STRIPE', 'PAY_ON_SITE', 'FREE'] as const,
});

const PaymentStatusEnum = builder.enumType('PaymentStatus', {
  values: [
    'REQUIRES_PAYMENT',
    'FAILED',
    'SUCCEEDED',
    'PARTIALLY_REFUNDED',
    'REFUNDED',
    'CANCELLED',
    'DUE_ON_SITE',
  ] as const,
  description:
    'REQUIRES_PAYMENT: pay with clientSecret; FAILED: the last attempt failed, try again while the booking is held; DUE_ON_SITE: pay at the garage',
});

const RefundPolicyEnum = builder.enumType('RefundPolicy', {
  values: ['FULL', 'PARTIAL', 'NONE'] as const,
  description: 'What a town refunds when a commuter cancels before the start (the deposit always comes back)',
});

const RefundRef = builder.objectRef<Refund>('Refund').implement({
  fields: (t) => ({
    amountCents: t.exposeInt('amountCents'),
    reason: t.string({
      description: 'cancellation, late_payment (paid after the hold ended) or deposit',
      resolve: (r) => r.reason,
    }),
    status: t.string({ description: 'pending, submitted, succeeded or failed', resolve: (r) => r.status }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
  }),
});

const ReceiptRef = builder
  .objectRef<{ number: string; htmlUrl: string; pdfUrl: string }>('Receipt')
  .implement({
    description: 'Links valid for an hour, for the owner; relative to the API origin',
    fields: (t) => ({
      number: t.exposeString('number'),
      htmlUrl: t.exposeString('htmlUrl'),
      pdfUrl: t.exposeString('pdfUrl'),
    }),
  });

export const PaymentRef = builder.objectRef<Payment>('Payment').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({
      type: PaymentStatusEnum,
      resolve: (p) => paymentState(p).toUpperCase() as Uppercase<ReturnType<typeof paymentState>>,
    }),
    method: t.field({ type: PaymentMethodEnum, resolve: (p) => p.method.toUpperCase() as 'STRIPE' }),
    amountCents: t.exposeInt('amountCents', { description: 'Gross price, VAT included' }),
    vatCents: t.exposeInt('vatCents'),
    vatRateBasisPoints: t.exposeInt('vatRateBp'),
    depositCents: t.exposeInt('depositCents'),
    totalCents: t.int({ description: 'What is charged: amount plus deposit', resolve: (p) => totalCents(p) }),
    refundedCents: t.exposeInt('refundedCents'),
    currency: t.string({ resolve: () => 'EUR' }),
    lines: t.field({ type: [PriceLineRef], resolve: (p) => p.lines }),
    clientSecret: t.string({
      nullable: true,
      description:
        'Owner only, while payment is open: pass to Stripe.js (Payment Element, confirmPayment) with paymentConfig.publishableKey',
      resolve: (p, _args, ctx) =>
        ctx.actor.accountId === p.accountId && (p.status === 'requires_payment' || p.status === 'failed')
          ? p.clientSecret
          : null,
    }),
    failureMessage: t.exposeString('failureMessage', { nullable: true }),
    paidAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.paidAt }),
    receipt: t.field({
      type: ReceiptRef,
      nullable: true,
      description: 'Owner only, once paid',
      resolve: async (p, _args, ctx) => {
        const links = await ctx.services.receipts.links(ctx.actor, p);
        if (!links || !p.receiptNumber) return null;
        return {
          number: formatReceiptNumber(p.tenantId, p.receiptNumber),
          htmlUrl: links.html,
          pdfUrl: links.pdf,
        };
      },
    }),
    refunds: t.field({
      type: [RefundRef],
      resolve: (p, _args, ctx) => ctx.services.payments.refundsOf(ctx.actor, p.id),
    }),
  }),
});

builder.objectField(BookingRef, 'payment', (t) =>
  t.loadable({
    type: PaymentRef,
    nullable: true,
    description: 'Set once the booking was confirmed (and payment started); null for bookings before that',
    load: (ids: string[], ctx: GraphQLContext) => ctx.services.payments.byBookingIds(ctx.actor, ids),
    resolve: (booking) => booking.id,
  }),
);

const PaymentConfigRef = builder.objectRef<PaymentConfig>('PaymentConfig').implement({
  fields: (t) => ({
    mode: t.field({
      type: PaymentModeEnum,
      resolve: (c) => (c.mode === 'stripe' ? 'STRIPE' : 'PAY_ON_SITE'),
    }),
    publishableKey: t.exposeString('publishableKey', {
      nullable: true,
      description: 'For loadStripe() in the browser; null in PAY_ON_SITE mode',
    }),
  }),
});

const CancellationQuoteRef = builder
  .objectRef<CancellationRefund & { bookingId: string }>('CancellationQuote')
  .implement({
    description: 'What cancelling now refunds; shown before the commuter decides',
    fields: (t) => ({
      bookingId: t.exposeID('bookingId'),
      refundCents: t.exposeInt('refundCents', {
        description: 'Everything that comes back, deposit included',
      }),
      depositRefundCents: t.exposeInt('depositRefundCents'),
      policy: t.field({ type: RefundPolicyEnum, resolve: (q) => q.policy.toUpperCase() as 'FULL' }),
      percent: t.exposeInt('percent', { description: 'Share of the price refunded (FULL 100, NONE 0)' }),
    }),
  });

builder.queryFields((t) => ({
  paymentConfig: t.field({
    type: PaymentConfigRef,
    resolve: (_root, _args, ctx) => ctx.services.payments.config(),
  }),
  cancellationQuote: t.field({
    type: CancellationQuoteRef,
    args: { bookingId: t.arg.id({ required: true }) },
    errors: { types: [...commonErrors, BookingStateError], union: { name: 'CancellationQuoteResult' } },
    resolve: async (_root, { bookingId }, ctx) => ({
      bookingId,
      ...(await ctx.services.payments.cancellationQuote(ctx.actor, bookingId)),
    }),
  }),
}));
