import type { ArgBuilder, SchemaTypes } from '@pothos/core';
import type { builder } from '../api/graphql/builder.ts';
import type { GraphQLContext } from '../api/graphql/context.ts';
import { offsetConnection, type PageArgs } from '../api/graphql/pagination.ts';
import { NotAuthenticatedError } from '../core/errors.ts';
import type { Actor } from '../core/tenancy.ts';

/**
 * The lists bookings, vehicle reservations and trips share: "mine" for the signed-in person,
 * and the staff view of the town's records in a period, both as paged connections.
 */
export type Types =
  typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

type Page = { limit: number; offset: number };

export function pageArgs(arg: ArgBuilder<Types>) {
  return { first: arg.int(), after: arg.string() };
}

/** [from, to) and a page, for the staff lists of a town. */
export function periodPageArgs(arg: ArgBuilder<Types>) {
  return {
    from: arg({ type: 'DateTime', required: true }),
    to: arg({ type: 'DateTime', required: true }),
    ...pageArgs(arg),
  };
}

/** A service that lists one kind of record: the caller's own, and a town's in a period. */
export interface RecordLists<T> {
  listMine(actor: Actor, page: Page): Promise<T[]>;
  listForTenant(actor: Actor, from: Date, to: Date, page: Page): Promise<T[]>;
}

/** The signed-in person's own records; anonymous callers are told to sign in. */
export function myRecords<T>(records: RecordLists<T>, ctx: GraphQLContext, args: PageArgs) {
  if (!ctx.actor.accountId) throw new NotAuthenticatedError();
  return offsetConnection(args, (page) => records.listMine(ctx.actor, page));
}

/** The town's records in [from, to); the service decides who is staff. */
export function recordsInPeriod<T>(
  records: RecordLists<T>,
  ctx: GraphQLContext,
  args: PageArgs & { from: Date; to: Date },
) {
  return offsetConnection(args, (page) => records.listForTenant(ctx.actor, args.from, args.to, page));
}
