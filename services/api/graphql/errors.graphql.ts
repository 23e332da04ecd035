import {
  BookingStateError,
  type DomainError,
  EmailTakenError,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidCredentialsError,
  NotAuthenticatedError,
  NotFoundError,
  SpaceUnavailableError,
  ValidationError,
} from '../../core/errors.ts';
import { builder } from './builder.ts';

/** Every error in a result union implements Error, so clients can always ask `... on Error { message }`. */
export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  fields: (t) => ({ message: t.exposeString('message') }),
});

// biome-ignore lint/suspicious/noExplicitAny: error classes differ only in their constructor arguments
function errorType(cls: new (...args: any[]) => DomainError, description: string) {
  builder.objectType(cls, {
    name: cls.name,
    description,
    interfaces: [ErrorInterface],
    isTypeOf: (v) => v instanceof cls,
  });
}

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input breaks a rule; `field` names the input field to correct.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ValidationError,
  fields: (t) => ({ field: t.string({ nullable: true, resolve: (e) => e.field ?? null }) }),
});
errorType(NotFoundError, 'The thing does not exist, or you may not see it.');
errorType(ForbiddenError, 'You are signed in but may not do this.');
errorType(NotAuthenticatedError, 'Sign in first.');
errorType(InvalidCredentialsError, 'E-mail or password is wrong.');
errorType(EmailTakenError, 'An account with this e-mail exists already.');
errorType(SpaceUnavailableError, 'The space is taken for (part of) this period.');
errorType(IdempotencyConflictError, 'The idempotency key was used before with different input.');
errorType(BookingStateError, 'The booking is not in a state that allows this.');

/** The errors any signed-in operation can meet. */
export const commonErrors = [ValidationError, NotFoundError, ForbiddenError, NotAuthenticatedError];
