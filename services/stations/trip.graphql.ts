import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { DeviceUnreachableError } from '../core/errors.ts';
import { LockCommandRef } from '../devices/lock-command.graphql.ts';
import { myRecords, pageArgs, periodPageArgs, recordsInPeriod } from '../garages/listing.graphql.ts';
import {
  ReturnNotAllowedError,
  StationFullError,
  TripStateError,
  UnlockFailedError,
  VehicleNotAtStationError,
  VehicleNotLockedError,
  VehicleUnavailableError,
} from './station-errors.ts';
import {
  MobilityStationRef,
  SharedVehicleRef,
  TripRef,
  VehicleReservationRef,
} from './station-refs.graphql.ts';
import { TRIP_STATUSES, type TripStatus } from './trip.ts';

const TripStatusEnum = builder.enumType('TripStatus', {
  values: TRIP_STATUSES.map((s) => s.toUpperCase()) as Uppercase<TripStatus>[],
  description:
    'STARTING while the lock is asked to open, ACTIVE on the road, COMPLETED; FAILED if it never opened',
});

const TripPriceStatusEnum = builder.enumType('TripPriceStatus', {
  values: ['OPEN', 'QUOTED', 'UNPRICED'] as const,
  description:
    'OPEN while riding; QUOTED with a price from the town’s tariff; UNPRICED when no tariff applies',
});

TripRef.implement({
  description: 'A ride on a shared vehicle, from unlocking at one station to returning at a station',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({
      type: TripStatusEnum,
      resolve: (x) => x.status.toUpperCase() as Uppercase<TripStatus>,
    }),
    vehicle: t.field({ type: SharedVehicleRef, resolve: (x) => x.vehicleId }),
    reservation: t.field({ type: VehicleReservationRef, resolve: (x) => x.reservationId }),
    startStation: t.field({ type: MobilityStationRef, resolve: (x) => x.startStationId }),
    endStation: t.field({ type: MobilityStationRef, nullable: true, resolve: (x) => x.endStationId }),
    requestedAt: t.field({ type: 'DateTime', resolve: (x) => x.requestedAt }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.startedAt }),
    endedAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.endedAt }),
    durationSeconds: t.exposeInt('durationSeconds', { nullable: true }),
    distanceMeters: t.exposeInt('distanceMeters', {
      nullable: true,
      description:
        'Along the vehicle’s position fixes, or the straight line between the stations without them',
    }),
    positionConfirmed: t.exposeBoolean('positionConfirmed', {
      nullable: true,
      description: 'Whether a position fix of the vehicle confirmed the return station',
    }),
    priceStatus: t.field({
      type: TripPriceStatusEnum,
      resolve: (x) => x.priceStatus.toUpperCase() as 'OPEN' | 'QUOTED' | 'UNPRICED',
    }),
    priceCents: t.exposeInt('priceCents', { nullable: true }),
    priceCurrency: t.exposeString('priceCurrency', { nullable: true }),
    unlockCommand: t.field({
      type: LockCommandRef,
      nullable: true,
      description: 'The command that opened the vehicle’s lock, with its transitions',
      resolve: (x, _args, ctx) => ctx.services.trips.unlockCommand(ctx.actor, x.id),
    }),
  }),
});

const TripConnection = builder.connectionObject(
  { type: TripRef, name: 'TripConnection' },
  { name: 'TripEdge' },
);

builder.queryFields((t) => ({
  currentTrip: t.field({
    type: TripRef,
    nullable: true,
    description: 'Your trip on the road (or being started), if any',
    resolve: (_root, _args, ctx) => ctx.services.trips.current(ctx.actor),
  }),
  myTrips: t.field({
    type: TripConnection,
    args: pageArgs(t.arg),
    resolve: (_root, args, ctx) => myRecords(ctx.services.trips, ctx, args),
  }),
  trip: t.field({
    type: TripRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.trips.get(ctx.actor, id),
  }),
  tenantTrips: t.field({
    type: TripConnection,
    description: 'Staff: trips of your town requested in [from, to)',
    args: periodPageArgs(t.arg),
    resolve: (_root, args, ctx) => recordsInPeriod(ctx.services.trips, ctx, args),
  }),
}));

builder.mutationFields((t) => ({
  startTrip: t.field({
    type: TripRef,
    description:
      'Unlocks the reserved vehicle (from 15 minutes before the reserved start until the town’s no-show grace after it) and waits for the lock’s answer',
    args: { reservationId: t.arg.id({ required: true }) },
    errors: {
      types: [
        ...commonErrors,
        TripStateError,
        VehicleUnavailableError,
        DeviceUnreachableError,
        UnlockFailedError,
      ],
      union: { name: 'StartTripResult' },
    },
    resolve: (_root, { reservationId }, ctx) => ctx.services.trips.start(ctx.actor, reservationId),
  }),
  endTrip: t.field({
    type: TripRef,
    description:
      'Ends your trip at a station: it must take returns and have a free place, the lock must report closed and the vehicle’s last position lie at the station',
    args: { tripId: t.arg.id({ required: true }), stationId: t.arg.id({ required: true }) },
    errors: {
      types: [
        ...commonErrors,
        TripStateError,
        StationFullError,
        ReturnNotAllowedError,
        VehicleNotLockedError,
        VehicleNotAtStationError,
      ],
      union: { name: 'EndTripResult' },
    },
    resolve: (_root, { tripId, stationId }, ctx) => ctx.services.trips.end(ctx.actor, tripId, stationId),
  }),
}));
