import { builder } from '../api/graphql/builder.ts';
import type { GraphQLContext } from '../api/graphql/context.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { offsetConnection } from '../api/graphql/pagination.ts';
import { TenantRef } from '../api/graphql/tenant.graphql.ts';
import { NotFoundError } from '../core/errors.ts';
import { isStaff } from '../core/tenancy.ts';
import {
  definedOnly,
  GeoPointInput,
  GeoPointRef,
  placeFilter,
  placeInputFields,
  placePatchFields,
  placeSearchArgs,
} from './place.graphql.ts';
import type { Address } from './site.ts';

// Other modules import the position types from here, where they began.
export { GeoPointInput, GeoPointRef };

const AddressRef = builder.objectRef<Address>('Address').implement({
  fields: (t) => ({
    street: t.exposeString('street', { nullable: true }),
    postalCode: t.exposeString('postalCode', { nullable: true }),
    city: t.exposeString('city', { nullable: true }),
  }),
});

export const SiteRef = builder.loadableObject('Site', {
  description: 'A bike garage (Fahrradparkhaus) or box group with bookable spaces',
  load: async (ids: string[], ctx: GraphQLContext) =>
    (await ctx.services.inventory.sitesByIds(ctx.actor, ids)).map(
      (s) => s ?? new NotFoundError('Site not found'),
    ),
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind'),
    tenant: t.field({ type: TenantRef, resolve: (s) => s.tenantId }),
    position: t.field({ type: GeoPointRef, resolve: (s) => s.position }),
    address: t.field({ type: AddressRef, resolve: (s) => s.address }),
    openingHours: t.exposeString('openingHours', {
      nullable: true,
      description: 'OpenStreetMap opening_hours syntax, e.g. "24/7"',
    }),
    externalRef: t.string({
      nullable: true,
      description: 'Operator reference (staff only)',
      resolve: (s, _args, ctx) => (isStaff(ctx.actor) ? s.externalRef : null),
    }),
    retired: t.boolean({ resolve: (s) => s.retiredAt !== null }),
  }),
});

export const SiteConnection = builder.connectionObject(
  { type: SiteRef, name: 'SiteConnection' },
  { name: 'SiteEdge' },
);

builder.queryFields((t) => ({
  sites: t.field({
    type: SiteConnection,
    description:
      'Sites you may see: all open sites for commuters, your own town for staff; nearest first with `near`',
    args: placeSearchArgs(t.arg),
    resolve: (_root, args, ctx) =>
      offsetConnection(args, (page) => ctx.services.inventory.listSites(ctx.actor, placeFilter(args), page)),
  }),
  site: t.field({
    type: SiteRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) =>
      (await ctx.services.inventory.sitesByIds(ctx.actor, [id]))[0] ?? null,
  }),
}));

const SiteInput = builder.inputType('SiteInput', { fields: placeInputFields });

const SitePatchInput = builder.inputType('SitePatchInput', { fields: placePatchFields });

builder.mutationFields((t) => ({
  createSite: t.field({
    type: SiteRef,
    description: 'Operators and admins: a new site in your town',
    args: { input: t.arg({ type: SiteInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'CreateSiteResult' } },
    resolve: (_root, { input }, ctx) => {
      const { position, ...rest } = input;
      return ctx.services.inventory.createSite(ctx.actor, { ...rest, lat: position.lat, lon: position.lon });
    },
  }),
  updateSite: t.field({
    type: SiteRef,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: SitePatchInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'UpdateSiteResult' } },
    resolve: (_root, { id, input }, ctx) => {
      const { position, name, ...rest } = definedOnly(input);
      return ctx.services.inventory.updateSite(ctx.actor, id, {
        ...rest,
        ...(name !== undefined && name !== null && { name }),
        ...(position && { lat: position.lat, lon: position.lon }),
      });
    },
  }),
  retireSite: t.field({
    type: SiteRef,
    description: 'Takes a site out of service; its bookings stay on record',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: commonErrors, union: { name: 'RetireSiteResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.inventory.retireSite(ctx.actor, id),
  }),
}));
