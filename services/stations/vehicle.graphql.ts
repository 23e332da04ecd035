import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { TenantRef } from '../api/graphql/tenant.graphql.ts';
import { BookingStateError, ForbiddenError } from '../core/errors.ts';
import { isStaff } from '../core/tenancy.ts';
import type { OperatorVehicleStatus } from './fleet.service.ts';
import { StationFullError } from './station-errors.ts';
import { MobilityStationRef, SharedVehicleRef, VehicleTypeRef } from './station-refs.graphql.ts';
import {
  FORM_FACTORS,
  PROPULSIONS,
  type Propulsion,
  VEHICLE_STATUSES,
  type VehicleStatus,
} from './vehicle.ts';

const upper = <T extends string>(values: readonly T[]) =>
  values.map((v) => v.toUpperCase()) as Uppercase<T>[];

/** GraphQL enum value (CARGO_BICYCLE) to the domain's lowercase GBFS value (cargo_bicycle). */
export function fromEnum<T extends string>(value: string): T {
  return value.toLowerCase() as T;
}

export const FormFactorEnum = builder.enumType('FormFactor', {
  values: upper(FORM_FACTORS),
  description: 'GBFS form factor: BICYCLE (e-bikes too), CARGO_BICYCLE, …',
});
const PropulsionEnum = builder.enumType('Propulsion', {
  values: upper(PROPULSIONS),
  description: 'GBFS propulsion type; ELECTRIC_ASSIST is a pedelec',
});
const VehicleStatusEnum = builder.enumType('SharedVehicleStatus', {
  values: upper(VEHICLE_STATUSES),
  description: 'AVAILABLE at a station, IN_USE on a trip, MAINTENANCE (out of service), RETIRED',
});
const OperatorVehicleStatusEnum = builder.enumType('OperatorVehicleStatus', {
  values: ['AVAILABLE', 'MAINTENANCE', 'RETIRED'] as const,
});

VehicleTypeRef.implement({
  description: 'A kind of shared vehicle of a town, as published in GBFS vehicle_types',
  fields: (t) => ({
    id: t.exposeID('id'),
    code: t.exposeString('code', { description: 'The GBFS vehicle_type_id' }),
    name: t.exposeString('name'),
    tenant: t.field({ type: TenantRef, resolve: (v) => v.tenantId }),
    formFactor: t.field({
      type: FormFactorEnum,
      resolve: (v) => v.formFactor.toUpperCase() as Uppercase<typeof v.formFactor>,
    }),
    propulsion: t.field({
      type: PropulsionEnum,
      resolve: (v) => v.propulsion.toUpperCase() as Uppercase<Propulsion>,
    }),
    maxRangeMeters: t.exposeInt('maxRangeMeters', { nullable: true, description: 'Range on a full battery' }),
    riderCapacity: t.exposeInt('riderCapacity', { nullable: true }),
    cargoLoadKg: t.exposeInt('cargoLoadKg', { nullable: true }),
    cargoVolumeLiters: t.exposeInt('cargoVolumeLiters', { nullable: true }),
  }),
});

SharedVehicleRef.implement({
  description:
    'A shared e-bike or cargo bike; its lock, battery and position come from its telematics device',
  fields: (t) => ({
    id: t.exposeID('id'),
    label: t.exposeString('label', { description: 'The number on the vehicle, e.g. ARN-L03' }),
    type: t.field({ type: VehicleTypeRef, resolve: (v) => v.vehicleTypeId }),
    status: t.field({
      type: VehicleStatusEnum,
      resolve: (v) => v.status.toUpperCase() as Uppercase<VehicleStatus>,
    }),
    station: t.field({
      type: MobilityStationRef,
      nullable: true,
      description: 'Where it stands now; null while out on a trip',
      resolve: (v) => v.stationId,
    }),
    homeStation: t.field({ type: MobilityStationRef, resolve: (v) => v.homeStationId }),
    batteryPercent: t.float({
      nullable: true,
      resolve: async (v, _args, ctx) =>
        (await ctx.services.fleet.publicStates(ctx.actor, [v.id])).get(v.id)?.batteryPercent ?? null,
    }),
    currentRangeMeters: t.int({
      nullable: true,
      description: 'Battery charge times the type’s range',
      resolve: async (v, _args, ctx) => {
        const [state, [type]] = await Promise.all([
          ctx.services.fleet.publicStates(ctx.actor, [v.id]),
          ctx.services.fleet.typesByIds(ctx.actor, [v.vehicleTypeId]),
        ]);
        const battery = state.get(v.id)?.batteryPercent;
        if (battery == null || !type?.maxRangeMeters) return null;
        return Math.round((type.maxRangeMeters * battery) / 100);
      },
    }),
    deviceId: t.string({
      nullable: true,
      description: 'Telematics device (staff only)',
      resolve: (v, _args, ctx) => (isStaff(ctx.actor) ? v.deviceId : null),
    }),
  }),
});

builder.queryFields((t) => ({
  vehicleTypes: t.field({
    type: [VehicleTypeRef],
    args: { tenant: t.arg.string() },
    resolve: (_root, args, ctx) => ctx.services.fleet.types(ctx.actor, args.tenant ?? undefined),
  }),
  sharedVehicle: t.field({
    type: SharedVehicleRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => (await ctx.services.fleet.byIds(ctx.actor, [id]))[0] ?? null,
  }),
  tenantVehicles: t.field({
    type: [SharedVehicleRef],
    description: 'Staff: every shared vehicle of your town, retired ones included',
    resolve: (_root, _args, ctx) => {
      if (!isStaff(ctx.actor)) throw new ForbiddenError('Only staff of a town see its fleet');
      return ctx.services.fleet.list(ctx.actor, { tenantId: ctx.actor.tenantId });
    },
  }),
}));

const VehicleTypeInput = builder.inputType('VehicleTypeInput', {
  fields: (t) => ({
    code: t.string({ required: true, description: 'GBFS vehicle_type_id, e.g. cargo-e' }),
    name: t.string({ required: true }),
    formFactor: t.field({ type: FormFactorEnum, required: true }),
    propulsion: t.field({ type: PropulsionEnum, required: true }),
    maxRangeMeters: t.int({ description: 'Required unless the propulsion is HUMAN' }),
    riderCapacity: t.int(),
    cargoLoadKg: t.int(),
    cargoVolumeLiters: t.int(),
  }),
});

const SharedVehicleInput = builder.inputType('SharedVehicleInput', {
  fields: (t) => ({
    vehicleTypeId: t.id({ required: true }),
    label: t.string({ required: true }),
    deviceId: t.string({ required: true, description: 'The telematics device (registered if new)' }),
    homeStationId: t.id({ required: true, description: 'Where the vehicle starts and belongs' }),
  }),
});

builder.mutationFields((t) => ({
  createVehicleType: t.field({
    type: VehicleTypeRef,
    description: 'Operators and admins: a vehicle type of your town',
    args: { input: t.arg({ type: VehicleTypeInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'CreateVehicleTypeResult' } },
    resolve: (_root, { input }, ctx) =>
      ctx.services.fleet.createType(ctx.actor, {
        ...input,
        formFactor: fromEnum(input.formFactor),
        propulsion: fromEnum(input.propulsion),
      }),
  }),
  createSharedVehicle: t.field({
    type: SharedVehicleRef,
    description: 'Operators and admins: a vehicle of your town, parked at its home station',
    args: { input: t.arg({ type: SharedVehicleInput, required: true }) },
    errors: { types: [...commonErrors, StationFullError], union: { name: 'CreateSharedVehicleResult' } },
    resolve: (_root, { input }, ctx) => ctx.services.fleet.create(ctx.actor, input),
  }),
  updateSharedVehicle: t.field({
    type: SharedVehicleRef,
    description:
      'Operators and admins: take a vehicle out of service, back in, move it to a station, change its type, label or device, or retire it',
    args: {
      id: t.arg.id({ required: true }),
      status: t.arg({ type: OperatorVehicleStatusEnum }),
      stationId: t.arg.id(),
      vehicleTypeId: t.arg.id({ description: 'Another vehicle type of your town' }),
      label: t.arg.string(),
      deviceId: t.arg.string({ description: 'Another telematics device (registered if new)' }),
    },
    errors: {
      types: [...commonErrors, StationFullError, BookingStateError],
      union: { name: 'UpdateSharedVehicleResult' },
    },
    resolve: (_root, args, ctx) =>
      ctx.services.fleet.update(ctx.actor, args.id, {
        status: args.status ? fromEnum<OperatorVehicleStatus>(args.status) : null,
        stationId: args.stationId ?? null,
        vehicleTypeId: args.vehicleTypeId ?? null,
        label: args.label ?? null,
        deviceId: args.deviceId ?? null,
      }),
  }),
}));
