import { builder } from '../api/graphql/builder.ts';
import type { GraphQLContext } from '../api/graphql/context.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { offsetConnection } from '../api/graphql/pagination.ts';
import { TenantRef } from '../api/graphql/tenant.graphql.ts';
import { NotFoundError } from '../core/errors.ts';
import { isStaff } from '../core/tenancy.ts';
import type { Address, GeoPoint } from './site.ts';

export const GeoPointRef = builder.objectRef<GeoPoint>('GeoPoint').implement({
  description: 'WGS 84 position',
  fields: (t) => ({ lat: t.exposeFloat('lat'), lon: t.exposeFloat('lon') }),
});

export const GeoPointInput = builder.inputType('GeoPointInput', {
  fields: (t) => ({ lat: t.float({ required: true }), lon: t.float({ required: true }) }),
});

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
    args: {
      tenant: t.arg.string(),
      near: t.arg({ type: GeoPointInput }),
      radiusKm: t.arg.float(),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      offsetConnection(args, (page) =>
        ctx.services.inventory.listSites(
          ctx.actor,
          {
            tenantId: args.tenant ?? undefined,
            near: args.near ?? undefined,
            radiusKm: args.radiusKm ?? undefined,
          },
          page,
        ),
      ),
  }),
  site: t.field({
    type: SiteRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) =>
      (await ctx.services.inventory.sitesByIds(ctx.actor, [id]))[0] ?? null,
  }),
}));

const SiteInput = builder.inputType('SiteInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    street: t.string(),
    postalCode: t.string(),
    city: t.string(),
    position: t.field({ type: GeoPointInput, required: true }),
    openingHours: t.string(),
    externalRef: t.string(),
  }),
});

const SitePatchInput = builder.inputType('SitePatchInput', {
  fields: (t) => ({
    name: t.string(),
    street: t.string(),
    postalCode: t.string(),
    city: t.string(),
    position: t.field({ type: GeoPointInput }),
    openingHours: t.string(),
    externalRef: t.string(),
  }),
});

/** GraphQL null means "clear", absent means "keep"; both arrive as null/undefined here. */
function definedOnly<T extends Record<string, unknown>>(input: T) {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

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
