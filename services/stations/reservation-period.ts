import { ValidationError } from '../core/errors.ts';

/** Shortest reservation: a quick errand on an e-bike. */
export const RESERVATION_MIN_MINUTES = 15;
/** Longest reservation: a cargo bike for a long weekend. */
export const RESERVATION_MAX_HOURS = 72;
/** How far ahead a reservation may start. */
export const RESERVATION_MAX_ADVANCE_DAYS = 30;
/** A period may start this much in the past (a phone with a slow clock asking for "now"). */
export const RESERVATION_PAST_TOLERANCE_MINUTES = 5;

const minute = 60_000;

export function validateReservationPeriod(from: Date, to: Date, now: Date): void {
  if (Number.isNaN(from.getTime())) throw new ValidationError('The start is not a valid date', 'from');
  if (Number.isNaN(to.getTime())) throw new ValidationError('The end is not a valid date', 'to');
  if (to <= from) {
    throw new ValidationError('The end must be after the start / Das Ende muss nach dem Beginn liegen', 'to');
  }
  if (from.getTime() < now.getTime() - RESERVATION_PAST_TOLERANCE_MINUTES * minute) {
    throw new ValidationError(
      'The period must not start in the past / Der Zeitraum liegt in der Vergangenheit',
      'from',
    );
  }
  if (from.getTime() > now.getTime() + RESERVATION_MAX_ADVANCE_DAYS * 24 * 60 * minute) {
    throw new ValidationError(
      `Vehicles can be reserved at most ${RESERVATION_MAX_ADVANCE_DAYS} days ahead`,
      'from',
    );
  }
  const duration = to.getTime() - from.getTime();
  if (duration < RESERVATION_MIN_MINUTES * minute) {
    throw new ValidationError(`A reservation lasts at least ${RESERVATION_MIN_MINUTES} minutes`, 'to');
  }
  if (duration > RESERVATION_MAX_HOURS * 60 * minute) {
    throw new ValidationError(
      `A reservation lasts at most ${RESERVATION_MAX_HOURS} hours / höchstens ${RESERVATION_MAX_HOURS} Stunden`,
      'to',
    );
  }
}
