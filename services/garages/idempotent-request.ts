import { createHash } from 'node:crypto';
import { ValidationError } from '../core/errors.ts';

/**
 * What bookings of spaces and reservations of vehicles share to make "create" safe to retry:
 * the client's idempotency key, checked the same way, and a fingerprint of what the request
 * asks for, so a retry under the same key must ask for the same thing.
 */

/** The caller's key, trimmed; 1 to `maxLength` characters or a ValidationError. */
export function idempotencyKeyOf(raw: string, maxLength: number): string {
  const key = raw.trim();
  if (key.length === 0 || key.length > maxLength) {
    throw new ValidationError(`The idempotency key needs 1 to ${maxLength} characters`, 'idempotencyKey');
  }
  return key;
}

/** The fingerprint of a request for one thing (a space, a vehicle) over [from, to). */
export function periodRequestHash(thingId: string, from: Date, to: Date): string {
  return createHash('sha256')
    .update(JSON.stringify([thingId, from.toISOString(), to.toISOString()]))
    .digest('base64url');
}
