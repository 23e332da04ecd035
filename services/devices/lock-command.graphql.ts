import { builder } from '../api/graphql/builder.ts';
import { commonErrors, ErrorInterface } from '../api/graphql/errors.graphql.ts';
import { DeviceUnreachableError } from '../core/errors.ts';
import { LOCK_COMMAND_STATUSES, type LockCommand } from './lock-command.ts';

const LockCommandStatusEnum = builder.enumType('LockCommandStatus', {
  values: LOCK_COMMAND_STATUSES.map((s) => s.toUpperCase()) as Uppercase<
    (typeof LOCK_COMMAND_STATUSES)[number]
  >[],
  description:
    'PENDING (in the outbox) → SENT → ACKED | REJECTED | FAILED, or EXPIRED when the lock never answered',
});

builder.objectType(DeviceUnreachableError, {
  name: 'DeviceUnreachableError',
  description: 'The lock did not answer within the timeout; the command expired and will not run later.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof DeviceUnreachableError,
  fields: (t) => ({ commandId: t.exposeID('commandId', { nullable: true }) }),
});

const TransitionRef = builder
  .objectRef<{ status: string; at: Date; detail: string | null }>('LockCommandTransition')
  .implement({
    fields: (t) => ({
      status: t.string({ resolve: (x) => x.status.toUpperCase() }),
      at: t.field({ type: 'DateTime', resolve: (x) => x.at }),
      detail: t.exposeString('detail', { nullable: true }),
    }),
  });

export const LockCommandRef = builder.objectRef<LockCommand>('LockCommand').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    action: t.string({ resolve: (c) => c.action.toUpperCase() }),
    status: t.field({
      type: LockCommandStatusEnum,
      resolve: (c) => c.status.toUpperCase() as Uppercase<LockCommand['status']>,
    }),
    deviceState: t.exposeString('deviceState', {
      nullable: true,
      description: "The lock's state in its answer, e.g. unlocked",
    }),
    issuedAt: t.field({ type: 'DateTime', resolve: (c) => c.issuedAt }),
    expiresAt: t.field({ type: 'DateTime', resolve: (c) => c.expiresAt }),
    transitions: t.field({
      type: [TransitionRef],
      resolve: (c, _args, ctx) => ctx.services.lockCommands.transitions(ctx.actor, c.id),
    }),
  }),
});

const lockErrors = [...commonErrors, DeviceUnreachableError];

builder.queryField('lockCommand', (t) =>
  t.field({
    type: LockCommandRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.lockCommands.get(ctx.actor, id),
  }),
);

builder.mutationFields((t) => ({
  unlock: t.field({
    type: LockCommandRef,
    description:
      'Opens the box of your booking (during the booking period plus the town’s grace); waits for the lock’s answer',
    args: { bookingId: t.arg.id({ required: true }) },
    errors: { types: lockErrors, union: { name: 'UnlockResult' } },
    resolve: (_root, { bookingId }, ctx) => ctx.services.lockCommands.unlock(ctx.actor, bookingId),
  }),
  lockSpace: t.field({
    type: LockCommandRef,
    description: 'Operators: lock a space of your town',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: { types: lockErrors, union: { name: 'LockSpaceResult' } },
    resolve: (_root, { spaceId }, ctx) => ctx.services.lockCommands.operate(ctx.actor, spaceId, 'lock'),
  }),
  forceUnlockSpace: t.field({
    type: LockCommandRef,
    description: 'Operators: open a space of your town without a booking; the reason is kept on record',
    args: { spaceId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    errors: { types: lockErrors, union: { name: 'ForceUnlockSpaceResult' } },
    resolve: (_root, { spaceId, reason }, ctx) =>
      ctx.services.lockCommands.operate(ctx.actor, spaceId, 'force_unlock', reason),
  }),
}));
