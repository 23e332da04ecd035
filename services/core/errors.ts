/**
 * Domain errors: thrown by services, shown to GraphQL clients as typed members of a
 * result union. Anything that is not a DomainError is unexpected and gets masked.
 */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {}
export class ForbiddenError extends DomainError {}
export class NotAuthenticatedError extends DomainError {
  constructor(message = 'Sign in first / Bitte zuerst anmelden') {
    super(message);
  }
}
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('E-mail or password is wrong / E-Mail oder Passwort falsch');
  }
}
export class EmailTakenError extends DomainError {
  constructor() {
    super('An account with this e-mail exists already / Diese E-Mail ist bereits registriert');
  }
}
export class SpaceUnavailableError extends DomainError {
  constructor(
    message = 'The space is already booked for this period / Der Platz ist in diesem Zeitraum belegt',
  ) {
    super(message);
  }
}
export class IdempotencyConflictError extends DomainError {
  constructor() {
    super('This idempotency key was used before with different input');
  }
}
export class BookingStateError extends DomainError {}
export class DeviceUnreachableError extends DomainError {
  constructor(
    readonly commandId: string | null,
    message = 'The lock did not answer in time; please try again / Das Schloss hat nicht rechtzeitig geantwortet',
  ) {
    super(message);
  }
}

/** PostgreSQL SQLSTATE codes the services react to. postgres.js and PGlite both report `code`. */
export const PgCode = {
  exclusionViolation: '23P01',
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  insufficientPrivilege: '42501',
  /** One of two transactions waiting on each other was aborted; the other went on. */
  deadlockDetected: '40P01',
  /** Raised by our functions (free_spaces) for a row that does not exist. */
  noDataFound: 'P0002',
} as const;

/** The violated constraint or index: postgres.js says `constraint_name`, PGlite `constraint`. */
export function pgConstraint(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { constraint_name?: unknown; constraint?: unknown };
  const name = e.constraint_name ?? e.constraint;
  return typeof name === 'string' ? name : undefined;
}

export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
