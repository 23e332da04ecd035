import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import type { AccessDecision } from './access.service.ts';

const AccessDecisionRef = builder.objectRef<AccessDecision>('AccessDecision').implement({
  fields: (t) => ({
    granted: t.exposeBoolean('granted'),
    bookingId: t.exposeID('bookingId', { nullable: true }),
    reason: t.exposeString('reason', {
      description: 'ok, no_matching_booking, invalid_token or wrong_space',
    }),
  }),
});

const VerifyAccessInput = builder.inputType('VerifyAccessInput', {
  fields: (t) => ({ spaceId: t.id({ required: true }), pin: t.string(), qrToken: t.string() }),
});

builder.mutationField('verifyAccess', (t) =>
  t.field({
    type: AccessDecisionRef,
    description: 'Staff and locks: does this PIN or QR code open this space now?',
    args: { input: t.arg({ type: VerifyAccessInput, required: true }) },
    errors: { types: commonErrors, union: { name: 'VerifyAccessResult' } },
    resolve: (_root, { input }, ctx) => ctx.services.access.verify(ctx.actor, input),
  }),
);
