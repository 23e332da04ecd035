import { resolveArrayConnection } from '@pothos/plugin-relay';
import { builder } from '../api/graphql/builder.ts';
import type { GraphQLContext } from '../api/graphql/context.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { NotFoundError } from '../core/errors.ts';
import { isStaff } from '../core/tenancy.ts';
import { SiteRef } from './site.graphql.ts';
import { SPACE_TYPES } from './space.ts';

export const SpaceTypeEnum = builder.enumType('SpaceType', {
  values: SPACE_TYPES,
  description:
    'STANDARD box, E_BIKE_CHARGING box with a socket, CARGO for cargo bikes, LARGE for trailers and trikes',
});

export const SpaceRef = builder.loadableObject('Space', {
  description: 'A bookable bike box or garage place',
  load: async (ids: string[], ctx: GraphQLContext) =>
    (await ctx.services.inventory.spacesByIds(ctx.actor, ids)).map(
      (s) => s ?? new NotFoundError('Space not found'),
    ),
  fields: (t) => ({
    id: t.exposeID('id'),
    label: t.exposeString('label'),
    type: t.field({ type: SpaceTypeEnum, resolve: (s) => s.type }),
    site: t.field({ type: SiteRef, resolve: (s) => s.siteId }),
    lockDeviceId: t.string({
      nullable: true,
      description: 'Staff only',
      resolve: (s, _args, ctx) => (isStaff(ctx.actor) ? s.lockDeviceId : null),
    }),
    retired: t.boolean({ resolve: (s) => s.retiredAt !== null }),
  }),
});

builder.objectField(SiteRef, 'spaces', (t) =>
  t.connection({
    type: SpaceRef,
    resolve: async (site, args, ctx) => {
      return resolveArrayConnection({ args }, await ctx.services.inventory.listSpaces(ctx.actor, site.id));
    },
  }),
);

const SpaceInput = builder.inputType('SpaceInput', {
  fields: (t) => ({
    siteId: t.id({ required: true }),
    label: t.string({ required: true }),
    type: t.field({ type: SpaceTypeEnum, required: true }),
    lockDeviceId: t.string(),
  }),
});

const SpacePatchInput = builder.inputType('SpacePatchInput', {
  fields: (t) => ({
    label: t.string(),
    type: t.field({ type: SpaceTypeEnum }),
    lockDeviceId: t.string(),
  }),
});

builder.mutationFields((t) => ({
  createSpace: t.field({
    type: SpaceRef,
    args: { input: t.arg({ type: SpaceInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'CreateSpaceResult' } },
    resolve: (_root, { input }, ctx) => ctx.services.inventory.createSpace(ctx.actor, input),
  }),
  updateSpace: t.field({
    type: SpaceRef,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: SpacePatchInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'UpdateSpaceResult' } },
    resolve: (_root, { id, input }, ctx) =>
      ctx.services.inventory.updateSpace(ctx.actor, id, {
        ...(input.label != null && { label: input.label }),
        ...(input.type != null && { type: input.type }),
        ...(input.lockDeviceId !== undefined && { lockDeviceId: input.lockDeviceId }),
      }),
  }),
  retireSpace: t.field({
    type: SpaceRef,
    args: { id: t.arg.id({ required: true }) },
    errors: { types: commonErrors, union: { name: 'RetireSpaceResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.inventory.retireSpace(ctx.actor, id),
  }),
}));
