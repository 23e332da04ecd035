import { DomainError } from '../core/errors.ts';

/** Stripe did not answer or refused for a reason the commuter cannot fix; retrying may help. */
export class PaymentUnavailableError extends DomainError {
  constructor(
    message = 'Online payment is not available right now; please try again / Online-Zahlung gerade nicht möglich, bitte erneut versuchen',
  ) {
    super(message);
  }
}
