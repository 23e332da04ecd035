import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { PriceLineRef } from '../payments/tariff.graphql.ts';
import { TripRef } from './station-refs.graphql.ts';
import type { Trip } from './trip.ts';
import type { TripPrice } from './trip-pricing.ts';

/**
 * Trip prices in GraphQL: the expected price before a reservation (tripQuote) and the price
 * stored on a finished trip. Trips have no online payment path of their own (payments are
 * per bike-box booking), so a priced trip is settled on site or by invoice of the town.
 */
const TripPaymentEnum = builder.enumType('TripPayment', {
  values: ['NONE', 'PAY_ON_SITE_OR_INVOICE'] as const,
  description:
    'NONE: nothing to pay (free, unpriced or not ended); PAY_ON_SITE_OR_INVOICE: the town collects it',
});

const TripQuoteRef = builder.objectRef<TripPrice>('TripQuote').implement({
  description: 'The expected gross price of a ride for a period under the town’s tariff for the vehicle',
  fields: (t) => ({
    amountCents: t.exposeInt('amountCents', { description: 'Gross price, VAT included' }),
    vatCents: t.exposeInt('vatCents'),
    vatRateBasisPoints: t.exposeInt('vatRateBp', { description: '1900 = 19 %' }),
    currency: t.exposeString('currency'),
    tariffName: t.exposeString('tariffName'),
    lines: t.field({ type: [PriceLineRef], resolve: (q) => q.lines }),
  }),
});

builder.objectFields(TripRef, (t) => ({
  priceVatCents: t.exposeInt('priceVatCents', { nullable: true, description: 'VAT contained in the price' }),
  priceVatRateBasisPoints: t.exposeInt('priceVatRateBp', { nullable: true }),
  priceLines: t.field({
    type: [PriceLineRef],
    description: 'The tariff units the price is made of (started hours, days)',
    resolve: (x) => x.priceLines,
  }),
  payment: t.field({
    type: TripPaymentEnum,
    resolve: (x: Trip) => (x.priceCents ? 'PAY_ON_SITE_OR_INVOICE' : 'NONE'),
  }),
}));

builder.queryField('tripQuote', (t) =>
  t.field({
    type: TripQuoteRef,
    nullable: true,
    description:
      'Expected price of riding the vehicle for the period (null: the town has no tariff for it); the trip is priced when it ends',
    args: {
      vehicleId: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
    },
    errors: { types: commonErrors, union: { name: 'TripQuoteResult' } },
    resolve: (_root, args, ctx) => ctx.services.trips.quote(ctx.actor, args.vehicleId, args.from, args.to),
  }),
);
