import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { TenantRef } from '../api/graphql/tenant.graphql.ts';
import { ValidationError } from '../core/errors.ts';
import { SpaceTypeEnum } from '../garages/space.graphql.ts';
import type { PriceLine } from './pricing.ts';
import type { Quote } from './tariff.service.ts';
import type { Tariff } from './tariff.ts';

export const ChargeUnitEnum = builder.enumType('ChargeUnit', {
  values: ['HOUR', 'DAY', 'WEEK', 'MONTH', 'SUBSCRIPTION_MONTH'] as const,
  description: 'Fixed lengths: HOUR 60 min, DAY 24 h, WEEK 7 days, MONTH and SUBSCRIPTION_MONTH 30 days',
});

export const TariffRef = builder.objectRef<Tariff>('Tariff').implement({
  description:
    'A town’s prices for one space type, in euro cents VAT included. A null price: that unit is not offered; 0: free',
  fields: (t) => ({
    id: t.exposeID('id'),
    tenant: t.field({ type: TenantRef, resolve: (x) => x.tenantId }),
    spaceType: t.field({ type: SpaceTypeEnum, resolve: (x) => x.spaceType }),
    name: t.exposeString('name'),
    hourCents: t.int({ nullable: true, resolve: (x) => x.prices.HOUR }),
    dayCents: t.int({ nullable: true, resolve: (x) => x.prices.DAY }),
    weekCents: t.int({ nullable: true, resolve: (x) => x.prices.WEEK }),
    monthCents: t.int({ nullable: true, resolve: (x) => x.prices.MONTH }),
    subscriptionMonthCents: t.int({
      nullable: true,
      description: 'Monthly subscription (30 days), renewed until cancelled',
      resolve: (x) => x.subscriptionMonthCents,
    }),
    depositCents: t.exposeInt('depositCents', { description: 'Charged with the booking, returned after it' }),
    vatRateBasisPoints: t.exposeInt('vatRateBp', { description: '1900 = 19 %' }),
    currency: t.string({ resolve: () => 'EUR' }),
    retired: t.boolean({ resolve: (x) => x.retiredAt !== null }),
    createdAt: t.field({ type: 'DateTime', resolve: (x) => x.createdAt }),
  }),
});

export const PriceLineRef = builder.objectRef<PriceLine>('PriceLine').implement({
  fields: (t) => ({
    unit: t.field({ type: ChargeUnitEnum, resolve: (l) => l.unit }),
    quantity: t.exposeInt('quantity'),
    unitPriceCents: t.exposeInt('unitPriceCents'),
    amountCents: t.exposeInt('amountCents'),
  }),
});

const QuoteRef = builder.objectRef<Quote>('Quote').implement({
  description:
    'The server’s price for a period: the cheapest combination of units that covers it (started hours count)',
  fields: (t) => ({
    spaceId: t.exposeID('spaceId'),
    from: t.field({ type: 'DateTime', resolve: (q) => q.from }),
    to: t.field({ type: 'DateTime', resolve: (q) => q.to }),
    amountCents: t.exposeInt('amountCents', { description: 'Gross price, VAT included' }),
    vatCents: t.exposeInt('vatCents'),
    netCents: t.exposeInt('netCents'),
    vatRateBasisPoints: t.exposeInt('vatRateBp'),
    depositCents: t.exposeInt('depositCents'),
    totalCents: t.exposeInt('totalCents', { description: 'What is charged: amount plus deposit' }),
    currency: t.string({ resolve: () => 'EUR' }),
    lines: t.field({ type: [PriceLineRef], resolve: (q) => q.lines }),
    tariff: t.field({ type: TariffRef, nullable: true, resolve: (q) => q.tariff }),
    free: t.boolean({ resolve: (q) => q.totalCents === 0 }),
  }),
});

const TariffInput = builder.inputType('TariffInput', {
  fields: (t) => ({
    spaceType: t.field({ type: SpaceTypeEnum, required: true }),
    name: t.string({ required: true }),
    hourCents: t.int(),
    dayCents: t.int(),
    weekCents: t.int(),
    monthCents: t.int(),
    subscriptionMonthCents: t.int(),
    depositCents: t.int(),
    vatRateBasisPoints: t.int({ required: true, description: '1900 = 19 %, 700 = 7 %' }),
  }),
});

const TariffPatchInput = builder.inputType('TariffPatchInput', {
  description: 'Absent fields stay; a price set to null stops offering that unit',
  fields: (t) => ({
    name: t.string(),
    hourCents: t.int(),
    dayCents: t.int(),
    weekCents: t.int(),
    monthCents: t.int(),
    subscriptionMonthCents: t.int(),
    depositCents: t.int(),
    vatRateBasisPoints: t.int(),
  }),
});

/** The domain calls it vatRateBp; the client typed vatRateBasisPoints, so that is the field to correct. */
export async function withInputNames<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ValidationError && error.field === 'vatRateBp') {
      throw new ValidationError(error.message, 'vatRateBasisPoints');
    }
    throw error;
  }
}

builder.queryFields((t) => ({
  tariffs: t.field({
    type: [TariffRef],
    description: 'Tariffs in force (of one town with `tenant`); staff may add their town’s retired ones',
    args: { tenant: t.arg.string(), includeRetired: t.arg.boolean() },
    resolve: (_root, args, ctx) =>
      ctx.services.tariffs.list(ctx.actor, {
        tenantId: args.tenant ?? undefined,
        includeRetired: args.includeRetired ?? false,
      }),
  }),
  quote: t.field({
    type: QuoteRef,
    description: 'What booking the space for [from, to) costs; confirmBooking charges exactly this',
    args: {
      spaceId: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
    },
    errors: { types: commonErrors, union: { name: 'QuoteResult' } },
    resolve: (_root, args, ctx) => ctx.services.tariffs.quote(ctx.actor, args.spaceId, args.from, args.to),
  }),
}));

builder.mutationFields((t) => ({
  createTariff: t.field({
    type: TariffRef,
    description: 'Operators and admins: the tariff of a space type in your town (one in force per type)',
    args: { input: t.arg({ type: TariffInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'CreateTariffResult' } },
    resolve: (_root, { input }, ctx) => {
      const { vatRateBasisPoints, ...rest } = input;
      return withInputNames(
        ctx.services.tariffs.create(ctx.actor, { ...rest, vatRateBp: vatRateBasisPoints }),
      );
    },
  }),
  updateTariff: t.field({
    type: TariffRef,
    description: 'Changes a tariff in force; bookings already paid keep their price',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: TariffPatchInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'UpdateTariffResult' } },
    resolve: (_root, { id, input }, ctx) => {
      const { vatRateBasisPoints, name, ...prices } = input;
      return withInputNames(
        ctx.services.tariffs.update(ctx.actor, id, {
          ...prices,
          ...(name != null && { name }),
          ...(vatRateBasisPoints != null && { vatRateBp: vatRateBasisPoints }),
        }),
      );
    },
  }),
  retireTariff: t.field({
    type: TariffRef,
    description: 'Takes a tariff out of force (the space type is then free until a new tariff)',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: commonErrors, union: { name: 'RetireTariffResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.tariffs.retire(ctx.actor, id),
  }),
}));
