import type { Tenant } from '../../core/tenant.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';

export const TenantRef = builder.loadableObject('Tenant', {
  description: 'A town (or the region) that runs its own sites and sets its own rules',
  load: (ids: string[], ctx: GraphQLContext) => ctx.services.tenants.byIds(ids),
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    holdMinutes: t.exposeInt('holdMinutes', {
      description: 'How long an unconfirmed booking holds its space',
    }),
    maxBookingDays: t.exposeInt('maxBookingDays'),
    accessGraceMinutes: t.exposeInt('accessGraceMinutes', {
      description: 'PIN and QR code work this long before the start and after the end',
    }),
  }),
});

builder.queryField('tenants', (t) =>
  t.field({ type: [TenantRef], resolve: (_root, _args, ctx) => ctx.services.tenants.list() }),
);

export type { Tenant };
