import { ValidationError } from '../core/errors.ts';
import type { Tenant } from '../core/tenant.ts';

/** Shortest bookable period: bike boxes are let by the hour at the least. */
export const MIN_BOOKING_MINUTES = 60;
/** A period may start this much in the past, so that "now" from a phone with a slow clock still works. */
export const PAST_START_TOLERANCE_MINUTES = 5;
/** How far ahead a period may start. */
export const MAX_ADVANCE_DAYS = 365;

const minute = 60_000;
const day = 24 * 60 * minute;

/**
 * The period rules for bookings and waitlist entries: start before end, at least an hour,
 * not in the past, not beyond the town's maximum. Errors name the field to correct.
 */
export function validatePeriod(from: Date, to: Date, tenant: Tenant, now: Date): void {
  validatePeriodBeforeTown(from, to, now);
  if (to.getTime() - from.getTime() > tenant.maxBookingDays * day) {
    throw new ValidationError(
      `${tenant.name} lets spaces for at most ${tenant.maxBookingDays} days at a time / höchstens ${tenant.maxBookingDays} Tage`,
      'to',
    );
  }
}

/** The rules that need no town: checked before createBooking's statement, which reads the town. */
export function validatePeriodBeforeTown(from: Date, to: Date, now: Date): void {
  if (Number.isNaN(from.getTime())) throw new ValidationError('The start is not a valid date', 'from');
  if (Number.isNaN(to.getTime())) throw new ValidationError('The end is not a valid date', 'to');
  if (to.getTime() <= from.getTime()) {
    throw new ValidationError('The end must be after the start / Das Ende muss nach dem Beginn liegen', 'to');
  }
  if (from.getTime() < now.getTime() - PAST_START_TOLERANCE_MINUTES * minute) {
    throw new ValidationError(
      'The period must not start in the past / Der Zeitraum liegt in der Vergangenheit',
      'from',
    );
  }
  if (from.getTime() > now.getTime() + MAX_ADVANCE_DAYS * day) {
    throw new ValidationError(`Bookings open at most ${MAX_ADVANCE_DAYS} days ahead`, 'from');
  }
  const duration = to.getTime() - from.getTime();
  if (duration < MIN_BOOKING_MINUTES * minute) {
    throw new ValidationError(`A booking lasts at least ${MIN_BOOKING_MINUTES} minutes`, 'to');
  }
}
