import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { BookingStateError, IdempotencyConflictError } from '../core/errors.ts';
import { myRecords, pageArgs, periodPageArgs, recordsInPeriod } from '../garages/listing.graphql.ts';
import { RESERVATION_STATUSES, type ReservationStatus } from './reservation.ts';
import { VehicleUnavailableError } from './station-errors.ts';
import {
  MobilityStationRef,
  SharedVehicleRef,
  TripRef,
  VehicleReservationRef,
} from './station-refs.graphql.ts';

const ReservationStatusEnum = builder.enumType('VehicleReservationStatus', {
  values: RESERVATION_STATUSES.map((s) => s.toUpperCase()) as Uppercase<ReservationStatus>[],
  description: 'CONFIRMED until the trip starts (ACTIVE), then COMPLETED; or CANCELLED, NO_SHOW',
});

VehicleReservationRef.implement({
  description: 'A shared vehicle held for you for a period; start the trip at the station around its start',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({
      type: ReservationStatusEnum,
      resolve: (r) => r.status.toUpperCase() as Uppercase<ReservationStatus>,
    }),
    from: t.field({ type: 'DateTime', resolve: (r) => r.from }),
    to: t.field({ type: 'DateTime', resolve: (r) => r.to }),
    vehicle: t.field({ type: SharedVehicleRef, resolve: (r) => r.vehicleId }),
    station: t.field({
      type: MobilityStationRef,
      description: 'Where to pick the vehicle up',
      resolve: (r) => r.stationId,
    }),
    trip: t.field({
      type: TripRef,
      nullable: true,
      description: 'The trip made with this reservation (the latest attempt)',
      resolve: (r, _args, ctx) => ctx.services.trips.forReservation(ctx.actor, r.id),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
  }),
});

const VehicleReservationConnection = builder.connectionObject(
  { type: VehicleReservationRef, name: 'VehicleReservationConnection' },
  { name: 'VehicleReservationEdge' },
);

const ReserveVehicleInput = builder.inputType('ReserveVehicleInput', {
  fields: (t) => ({
    vehicleId: t.id({ required: true }),
    from: t.field({ type: 'DateTime', required: true }),
    to: t.field({ type: 'DateTime', required: true }),
    idempotencyKey: t.string({
      required: true,
      description:
        'Any unique string per intended reservation: a retry with the same key never reserves twice',
    }),
  }),
});

builder.queryFields((t) => ({
  myVehicleReservations: t.field({
    type: VehicleReservationConnection,
    description: 'Your reservations of shared vehicles, newest start first',
    args: pageArgs(t.arg),
    resolve: (_root, args, ctx) => myRecords(ctx.services.vehicleReservations, ctx, args),
  }),
  vehicleReservation: t.field({
    type: VehicleReservationRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) =>
      (await ctx.services.vehicleReservations.byIds(ctx.actor, [id]))[0] ?? null,
  }),
  tenantVehicleReservations: t.field({
    type: VehicleReservationConnection,
    description: 'Staff: reservations of your town’s vehicles that overlap [from, to)',
    args: periodPageArgs(t.arg),
    resolve: (_root, args, ctx) => recordsInPeriod(ctx.services.vehicleReservations, ctx, args),
  }),
}));

builder.mutationFields((t) => ({
  reserveVehicle: t.field({
    type: VehicleReservationRef,
    description:
      'Reserves a shared vehicle for [from, to) (15 minutes to 72 hours, up to 30 days ahead); it is yours at once',
    args: { input: t.arg({ type: ReserveVehicleInput, required: true }) },
    errors: {
      types: [...commonErrors, VehicleUnavailableError, IdempotencyConflictError],
      union: { name: 'ReserveVehicleResult' },
    },
    resolve: (_root, { input }, ctx) => ctx.services.vehicleReservations.reserve(ctx.actor, input),
  }),
  cancelVehicleReservation: t.field({
    type: VehicleReservationRef,
    description: 'Cancels a reservation whose trip has not started',
    args: { id: t.arg.id({ required: true }) },
    errors: {
      types: [...commonErrors, BookingStateError],
      union: { name: 'CancelVehicleReservationResult' },
    },
    resolve: (_root, { id }, ctx) => ctx.services.vehicleReservations.cancel(ctx.actor, id),
  }),
}));
