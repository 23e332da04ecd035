import { builder } from '../api/graphql/builder.ts';
import { GeoPointInput } from '../garages/site.graphql.ts';
import { SpaceRef, SpaceTypeEnum } from '../garages/space.graphql.ts';
import type { StationMatch } from './intermodal.service.ts';
import { STATION_MODES } from './station.ts';
import { MobilityStationRef, SharedVehicleRef } from './station-refs.graphql.ts';
import { FormFactorEnum, fromEnum } from './vehicle.graphql.ts';
import type { FormFactor } from './vehicle.ts';

const StationModeEnum = builder.enumType('StationMode', {
  values: [...STATION_MODES],
  description:
    'SHARED_VEHICLE (free for the window), BIKE_BOX (free for the window, at the station or its bike garage), CHARGING (charging points), BUS_STOP, BENCH (ride-share bench)',
});

const ModeRequestInput = builder.inputType('ModeRequestInput', {
  fields: (t) => ({
    mode: t.field({ type: StationModeEnum, required: true }),
    formFactor: t.field({ type: FormFactorEnum, description: 'SHARED_VEHICLE: only this form factor' }),
    spaceType: t.field({ type: SpaceTypeEnum, description: 'BIKE_BOX: only this space type' }),
    count: t.int({ description: 'How many must be free (default 1)' }),
  }),
});

const StationMatchRef = builder.objectRef<StationMatch>('StationMatch').implement({
  description: 'A station that has every requested mode free for the window',
  fields: (t) => ({
    station: t.field({ type: MobilityStationRef, resolve: (m) => m.station }),
    distanceKm: t.exposeFloat('distanceKm'),
    freeVehicles: t.field({ type: [SharedVehicleRef], resolve: (m) => m.freeVehicles }),
    freeSpaces: t.field({ type: [SpaceRef], resolve: (m) => m.freeSpaces }),
  }),
});

builder.queryField('intermodalSearch', (t) =>
  t.field({
    type: [StationMatchRef],
    description:
      'Stations within radiusKm that have every requested mode free for the whole of [from, to), nearest first: “a free cargo bike at 9:00 within 1 km, and a bike box at the station”',
    args: {
      near: t.arg({ type: GeoPointInput, required: true }),
      radiusKm: t.arg.float({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      modes: t.arg({ type: [ModeRequestInput], required: true }),
    },
    resolve: (_root, args, ctx) =>
      ctx.services.intermodal.search(ctx.actor, {
        near: args.near,
        radiusKm: args.radiusKm,
        from: args.from,
        to: args.to,
        modes: args.modes.map((m) => ({
          mode: m.mode,
          formFactor: m.formFactor ? fromEnum<FormFactor>(m.formFactor) : null,
          spaceType: m.spaceType ?? null,
          count: m.count ?? null,
        })),
      }),
  }),
);
