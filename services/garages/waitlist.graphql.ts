import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { SiteRef } from './site.graphql.ts';
import { SpaceTypeEnum } from './space.graphql.ts';
import type { WaitlistEntry } from './waitlist.ts';

const WaitlistEntryRef = builder.objectRef<WaitlistEntry>('WaitlistEntry').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    site: t.field({ type: SiteRef, resolve: (e) => e.siteId }),
    spaceType: t.field({ type: SpaceTypeEnum, resolve: (e) => e.spaceType }),
    from: t.field({ type: 'DateTime', resolve: (e) => e.from }),
    to: t.field({ type: 'DateTime', resolve: (e) => e.to }),
    status: t.string({ resolve: (e) => e.status.toUpperCase() }),
    notifiedAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.notifiedAt }),
  }),
});

const JoinWaitlistInput = builder.inputType('JoinWaitlistInput', {
  fields: (t) => ({
    siteId: t.id({ required: true }),
    spaceType: t.field({ type: SpaceTypeEnum, required: true }),
    from: t.field({ type: 'DateTime', required: true }),
    to: t.field({ type: 'DateTime', required: true }),
  }),
});

builder.queryField('myWaitlist', (t) =>
  t.field({
    type: [WaitlistEntryRef],
    resolve: (_root, _args, ctx) => ctx.services.waitlist.listMine(ctx.actor),
  }),
);

builder.mutationFields((t) => ({
  joinWaitlist: t.field({
    type: WaitlistEntryRef,
    description: 'When every space of the type is taken: be told as soon as one frees (first to book wins)',
    args: { input: t.arg({ type: JoinWaitlistInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'JoinWaitlistResult' } },
    resolve: (_root, { input }, ctx) => ctx.services.waitlist.join(ctx.actor, input),
  }),
  leaveWaitlist: t.field({
    type: WaitlistEntryRef,
    args: { id: t.arg.id({ required: true }) },
    errors: { types: commonErrors, union: { name: 'LeaveWaitlistResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.waitlist.leave(ctx.actor, id),
  }),
}));
