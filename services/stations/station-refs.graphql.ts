import { builder } from '../api/graphql/builder.ts';
import type { GraphQLContext } from '../api/graphql/context.ts';
import { NotFoundError } from '../core/errors.ts';
import type { VehicleReservation } from './reservation.ts';
import type { MobilityStation } from './station.ts';
import type { Trip } from './trip.ts';
import type { Vehicle, VehicleType } from './vehicle.ts';

/**
 * The stations' GraphQL object refs, declared apart from their fields so that the files that
 * implement them can refer to each other without an import cycle.
 */
export const MobilityStationRef = builder.loadableObjectRef<MobilityStation | Error, string>(
  'MobilityStation',
  {
    load: async (ids: string[], ctx: GraphQLContext) =>
      (await ctx.services.stations.byIds(ctx.actor, ids)).map(
        (s) => s ?? new NotFoundError('Station not found'),
      ),
  },
);

export const VehicleTypeRef = builder.loadableObjectRef<VehicleType | Error, string>('VehicleType', {
  load: async (ids: string[], ctx: GraphQLContext) =>
    (await ctx.services.fleet.typesByIds(ctx.actor, ids)).map(
      (t) => t ?? new NotFoundError('Vehicle type not found'),
    ),
});

export const SharedVehicleRef = builder.loadableObjectRef<Vehicle | Error, string>('SharedVehicle', {
  load: async (ids: string[], ctx: GraphQLContext) =>
    (await ctx.services.fleet.byIds(ctx.actor, ids)).map((v) => v ?? new NotFoundError('Vehicle not found')),
});

export const VehicleReservationRef = builder.loadableObjectRef<VehicleReservation | Error, string>(
  'VehicleReservation',
  {
    load: async (ids: string[], ctx: GraphQLContext) =>
      (await ctx.services.vehicleReservations.byIds(ctx.actor, ids)).map(
        (r) => r ?? new NotFoundError('Reservation not found'),
      ),
  },
);

export const TripRef = builder.objectRef<Trip>('Trip');
