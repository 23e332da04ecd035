import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { offsetConnection } from '../api/graphql/pagination.ts';
import { TenantRef } from '../api/graphql/tenant.graphql.ts';
import { isStaff } from '../core/tenancy.ts';
import {
  definedOnly,
  GeoPointRef,
  placeFilter,
  placeInputFields,
  placePatchFields,
  placeSearchArgs,
} from '../garages/place.graphql.ts';
import { SiteRef } from '../garages/site.graphql.ts';
import { SpaceRef } from '../garages/space.graphql.ts';
import type { Space } from '../garages/space.ts';
import type { StationChange } from './station-feed.ts';
import { MobilityStationRef, SharedVehicleRef } from './station-refs.graphql.ts';
import { FormFactorEnum, fromEnum } from './vehicle.graphql.ts';
import type { FormFactor, Vehicle } from './vehicle.ts';

interface StationAvailability {
  from: Date;
  to: Date;
  freeVehicles: Vehicle[];
  freeSpaces: Space[];
}

const StationAvailabilityRef = builder.objectRef<StationAvailability>('StationAvailability').implement({
  description: 'What is free at a station for the whole of [from, to)',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', resolve: (a) => a.from }),
    to: t.field({ type: 'DateTime', resolve: (a) => a.to }),
    freeVehicles: t.field({ type: [SharedVehicleRef], resolve: (a) => a.freeVehicles }),
    freeVehicleCount: t.int({ resolve: (a) => a.freeVehicles.length }),
    freeSpaces: t.field({
      type: [SpaceRef],
      description: 'Bike boxes at the station or in its linked bike garage',
      resolve: (a) => a.freeSpaces,
    }),
    freeSpaceCount: t.int({ resolve: (a) => a.freeSpaces.length }),
  }),
});

const BusStopRef = builder.objectRef<{ ref: string | null; name: string | null }>('BusStop').implement({
  description: 'The bus stop at the station',
  fields: (t) => ({
    ref: t.exposeString('ref', { nullable: true, description: 'Stop id (DHID), e.g. de:05958:31234' }),
    name: t.exposeString('name', { nullable: true }),
  }),
});

MobilityStationRef.implement({
  description:
    'A mobility station (Mobilstation): shared e-bikes and cargo bikes, bike boxes, charging points, the bus stop and a ride-share bench at one place',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    tenant: t.field({ type: TenantRef, resolve: (s) => s.tenantId }),
    position: t.field({ type: GeoPointRef, resolve: (s) => s.position }),
    site: t.field({
      type: SiteRef,
      description: 'The site with address and opening hours',
      resolve: (s) => s.id,
    }),
    openingHours: t.exposeString('openingHours', { nullable: true }),
    vehicleCapacity: t.exposeInt('vehicleCapacity', { description: 'Places for shared vehicles' }),
    acceptsReturns: t.exposeBoolean('acceptsReturns'),
    isRenting: t.exposeBoolean('isRenting'),
    chargingPoints: t.exposeInt('chargingPoints'),
    busStop: t.field({
      type: BusStopRef,
      nullable: true,
      resolve: (s) => (s.busStopRef || s.busStopName ? { ref: s.busStopRef, name: s.busStopName } : null),
    }),
    bikeGarage: t.field({
      type: SiteRef,
      nullable: true,
      description: 'A bike garage whose boxes belong to the station',
      resolve: (s) => s.bikeGarageSiteId,
    }),
    bench: t.field({
      type: SiteRef,
      nullable: true,
      description: 'The ride-share bench (Mitfahrbank) at the station',
      resolve: (s) => s.benchSiteId,
    }),
    oneWayReturns: t.boolean({
      description: 'Whether a vehicle taken here may go back to another station of the town',
      resolve: (s, _args, ctx) => ctx.services.stations.oneWayReturns(ctx.actor, s.tenantId),
    }),
    vehiclesParked: t.int({
      description: 'Vehicles standing at the station now',
      resolve: async (s, _args, ctx) =>
        (await ctx.services.stations.parkedCounts(ctx.actor, [s.id])).get(s.id) ?? 0,
    }),
    freePlaces: t.int({
      description: 'Places where a vehicle can be returned now',
      resolve: async (s, _args, ctx) =>
        Math.max(
          0,
          s.vehicleCapacity - ((await ctx.services.stations.parkedCounts(ctx.actor, [s.id])).get(s.id) ?? 0),
        ),
    }),
    vehicles: t.field({
      type: [SharedVehicleRef],
      description: 'Vehicles of the station: standing here, or out on a trip taken from here',
      resolve: (s, _args, ctx) => ctx.services.fleet.list(ctx.actor, { stationIds: [s.id] }),
    }),
    availability: t.field({
      type: StationAvailabilityRef,
      description: 'Vehicles and bike boxes free for the whole of [from, to)',
      args: {
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        formFactor: t.arg({ type: FormFactorEnum }),
      },
      resolve: async (s, args, ctx) => {
        const formFactor = args.formFactor ? fromEnum<FormFactor>(args.formFactor) : undefined;
        const vehicles = await ctx.services.fleet.freeAtStations(
          ctx.actor,
          [s.id],
          args.from,
          args.to,
          formFactor,
        );
        const sites = [s.id, ...(s.bikeGarageSiteId ? [s.bikeGarageSiteId] : [])];
        const spaces = await Promise.all(
          sites.map((id) => ctx.services.availability.freeSpacesAtSite(ctx.actor, id, args.from, args.to)),
        );
        return {
          from: args.from,
          to: args.to,
          freeVehicles: vehicles.get(s.id) ?? [],
          freeSpaces: spaces.flat(),
        };
      },
    }),
    externalRef: t.string({
      nullable: true,
      description: 'Operator reference (staff only)',
      resolve: (s, _args, ctx) => (isStaff(ctx.actor) ? s.externalRef : null),
    }),
    updatedAt: t.field({ type: 'DateTime', resolve: (s) => s.updatedAt }),
  }),
});

const MobilityStationConnection = builder.connectionObject(
  { type: MobilityStationRef, name: 'MobilityStationConnection' },
  { name: 'MobilityStationEdge' },
);

builder.queryFields((t) => ({
  mobilityStations: t.field({
    type: MobilityStationConnection,
    description: 'Open mobility stations you may see; nearest first with `near`',
    args: placeSearchArgs(t.arg),
    resolve: (_root, args, ctx) =>
      offsetConnection(args, (page) => ctx.services.stations.list(ctx.actor, placeFilter(args), page)),
  }),
  mobilityStation: t.field({
    type: MobilityStationRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => (await ctx.services.stations.byIds(ctx.actor, [id]))[0] ?? null,
  }),
}));

const MobilityStationInput = builder.inputType('MobilityStationInput', {
  fields: (t) => ({
    ...placeInputFields(t),
    vehicleCapacity: t.int({ required: true }),
    acceptsReturns: t.boolean(),
    isRenting: t.boolean(),
    chargingPoints: t.int(),
    busStopRef: t.string(),
    busStopName: t.string(),
    bikeGarageSiteId: t.id({ description: 'A site of kind bike_garage of your town' }),
    benchSiteId: t.id({ description: 'A site of kind bench of your town' }),
  }),
});

const MobilityStationPatchInput = builder.inputType('MobilityStationPatchInput', {
  fields: (t) => ({
    ...placePatchFields(t),
    vehicleCapacity: t.int(),
    acceptsReturns: t.boolean(),
    isRenting: t.boolean(),
    chargingPoints: t.int(),
    busStopRef: t.string(),
    busStopName: t.string(),
    bikeGarageSiteId: t.id(),
    benchSiteId: t.id(),
  }),
});

builder.mutationFields((t) => ({
  createMobilityStation: t.field({
    type: MobilityStationRef,
    description: 'Operators and admins: a new mobility station in your town',
    args: { input: t.arg({ type: MobilityStationInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'CreateMobilityStationResult' } },
    resolve: (_root, { input }, ctx) => {
      const { position, acceptsReturns, isRenting, chargingPoints, ...rest } = input;
      return ctx.services.stations.create(ctx.actor, {
        ...rest,
        ...(acceptsReturns != null && { acceptsReturns }),
        ...(isRenting != null && { isRenting }),
        ...(chargingPoints != null && { chargingPoints }),
        lat: position.lat,
        lon: position.lon,
      });
    },
  }),
  setOneWayReturns: t.field({
    type: TenantRef,
    description:
      'Operators and admins: whether riders of your town may return a vehicle at another station than the start',
    args: { allowed: t.arg.boolean({ required: true }) },
    errors: { types: commonErrors, union: { name: 'SetOneWayReturnsResult' } },
    resolve: (_root, { allowed }, ctx) => ctx.services.stations.setOneWayReturns(ctx.actor, allowed),
  }),
  updateMobilityStation: t.field({
    type: MobilityStationRef,
    description: 'Operators and admins: change a station of your town (retire it with retireSite)',
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: MobilityStationPatchInput, required: true }),
    },
    errors: { types: commonErrors, union: { name: 'UpdateMobilityStationResult' } },
    resolve: (_root, { id, input }, ctx) => {
      const { position, name, vehicleCapacity, acceptsReturns, isRenting, chargingPoints, ...rest } =
        definedOnly(input);
      return ctx.services.stations.update(ctx.actor, id, {
        ...rest,
        ...(name != null && { name }),
        ...(vehicleCapacity != null && { vehicleCapacity }),
        ...(acceptsReturns != null && { acceptsReturns }),
        ...(isRenting != null && { isRenting }),
        ...(chargingPoints != null && { chargingPoints }),
        ...(position && { lat: position.lat, lon: position.lon }),
      });
    },
  }),
}));

const StationChangeRef = builder.objectRef<StationChange>('StationChange').implement({
  description: 'Something at the station changed (a vehicle came or went, a reservation); query it again',
  fields: (t) => ({
    stationId: t.exposeID('stationId'),
    at: t.field({ type: 'DateTime', resolve: (c) => c.at }),
  }),
});

builder.subscriptionField('stationChanged', (t) =>
  t.field({
    type: StationChangeRef,
    description:
      'Live station page: fires when vehicles or reservations of the station change (bike boxes: availabilityChanged)',
    args: { stationId: t.arg.id({ required: true }) },
    subscribe: (_root, { stationId }, ctx) => ctx.services.stationFeed.subscribe(stationId),
    resolve: (change) => change,
  }),
);
