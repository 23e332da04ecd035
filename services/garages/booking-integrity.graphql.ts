import { builder } from '../api/graphql/builder.ts';

interface OverlapCheck {
  pairs: number;
  checkedAt: Date;
}

const OverlapCheckRef = builder.objectRef<OverlapCheck>('BookingOverlapCheck').implement({
  description: 'Live bookings of one space with overlapping periods, counted in pairs across the region',
  fields: (t) => ({
    pairs: t.exposeInt('pairs', { description: 'Always 0 while the exclusion constraint holds' }),
    checkedAt: t.field({ type: 'DateTime', resolve: (c) => c.checkedAt }),
  }),
});

builder.queryField('bookingOverlaps', (t) =>
  t.field({
    type: OverlapCheckRef,
    description: 'Staff: consistency check after load tests (k6 teardown); ForbiddenError for everyone else',
    resolve: async (_root, _args, ctx) => ({
      pairs: await ctx.services.bookings.overlappingPairs(ctx.actor),
      checkedAt: new Date(),
    }),
  }),
);
