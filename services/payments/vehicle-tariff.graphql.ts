import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { FormFactorEnum, fromEnum } from '../stations/vehicle.graphql.ts';
import type { FormFactor } from '../stations/vehicle.ts';
import { withInputNames } from './tariff.graphql.ts';
import type { VehicleTariff } from './tariff.ts';

/** Trip tariffs of shared vehicles: one per town and form factor, priced per started hour with a day cap. */
const VehicleTariffRef = builder.objectRef<VehicleTariff>('VehicleTariff').implement({
  description:
    'A town’s trip price for one form factor, in euro cents VAT included: per started hour, the day price caps it',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    formFactor: t.field({
      type: FormFactorEnum,
      resolve: (x) => x.formFactor.toUpperCase() as Uppercase<FormFactor>,
    }),
    hourCents: t.int({ nullable: true, resolve: (x) => x.prices.HOUR }),
    dayCents: t.int({ nullable: true, resolve: (x) => x.prices.DAY }),
    vatRateBasisPoints: t.exposeInt('vatRateBp', { description: '1900 = 19 %' }),
    currency: t.string({ resolve: () => 'EUR' }),
  }),
});

const VehicleTariffInput = builder.inputType('VehicleTariffInput', {
  fields: (t) => ({
    formFactor: t.field({ type: FormFactorEnum, required: true }),
    name: t.string({ required: true }),
    hourCents: t.int({ description: 'Per started hour; null: not offered' }),
    dayCents: t.int({ description: 'Per 24 hours; caps the hours' }),
    vatRateBasisPoints: t.int({ required: true }),
  }),
});

builder.queryField('vehicleTariffs', (t) =>
  t.field({
    type: [VehicleTariffRef],
    description: 'The trip tariffs in force in a town',
    args: { tenant: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.services.tariffs.listForVehicles(ctx.actor, args.tenant),
  }),
);

builder.mutationField('setVehicleTariff', (t) =>
  t.field({
    type: VehicleTariffRef,
    description:
      'Operators and admins: the trip tariff of a form factor in your town; replaces the one in force (finished trips keep their price)',
    args: { input: t.arg({ type: VehicleTariffInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'SetVehicleTariffResult' } },
    resolve: (_root, { input }, ctx) => {
      const { vatRateBasisPoints, formFactor, ...rest } = input;
      return withInputNames(
        ctx.services.tariffs.setForVehicles(ctx.actor, {
          ...rest,
          formFactor: fromEnum<FormFactor>(formFactor),
          vatRateBp: vatRateBasisPoints,
        }),
      );
    },
  }),
);
