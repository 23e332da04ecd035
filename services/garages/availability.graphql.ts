import { builder } from '../api/graphql/builder.ts';
import type { SiteAvailability } from './availability.service.ts';
import { GeoPointInput, SiteRef } from './site.graphql.ts';
import { SpaceRef, SpaceTypeEnum } from './space.graphql.ts';

const SiteAvailabilityRef = builder.objectRef<SiteAvailability>('SiteAvailability').implement({
  fields: (t) => ({
    site: t.field({ type: SiteRef, resolve: (a) => a.site }),
    distanceKm: t.exposeFloat('distanceKm', { nullable: true }),
    freeSpaces: t.field({ type: [SpaceRef], resolve: (a) => a.freeSpaces }),
    freeCount: t.int({ resolve: (a) => a.freeSpaces.length }),
  }),
});

builder.queryFields((t) => ({
  availability: t.field({
    type: [SpaceRef],
    description: 'Spaces of a site free for the whole of [from, to)',
    args: {
      siteId: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      spaceType: t.arg({ type: SpaceTypeEnum }),
    },
    resolve: (_root, args, ctx) =>
      ctx.services.availability.freeSpacesAtSite(
        ctx.actor,
        args.siteId,
        args.from,
        args.to,
        args.spaceType ?? undefined,
      ),
  }),
  availabilityNear: t.field({
    type: [SiteAvailabilityRef],
    description: 'Sites within radiusKm of a position with their free spaces for [from, to), nearest first',
    args: {
      near: t.arg({ type: GeoPointInput, required: true }),
      radiusKm: t.arg.float({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      spaceType: t.arg({ type: SpaceTypeEnum }),
    },
    resolve: (_root, args, ctx) =>
      ctx.services.availability.freeSpacesNear(
        ctx.actor,
        args.near,
        args.radiusKm,
        args.from,
        args.to,
        args.spaceType ?? undefined,
      ),
  }),
}));

export interface AvailabilityChange {
  siteId: string;
  spaceId: string;
  status: string;
  at: Date;
}

const AvailabilityChangeRef = builder.objectRef<AvailabilityChange>('AvailabilityChange').implement({
  description: 'A booking of a space at the site changed; query availability again for the window you show',
  fields: (t) => ({
    siteId: t.exposeID('siteId'),
    spaceId: t.exposeID('spaceId'),
    bookingStatus: t.string({ resolve: (c) => c.status.toUpperCase() }),
    at: t.field({ type: 'DateTime', resolve: (c) => c.at }),
  }),
});

builder.subscriptionField('availabilityChanged', (t) =>
  t.field({
    type: AvailabilityChangeRef,
    args: { siteId: t.arg.id({ required: true }) },
    subscribe: (_root, { siteId }, ctx) => ctx.services.availabilityFeed.subscribe(siteId),
    resolve: (change) => change,
  }),
);
