export const BOOKING_STATUSES = [
  'held',
  'confirmed',
  'active',
  'completed',
  'cancelled',
  'expired',
  'no_show',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses that occupy the space; the exclusion constraint forbids overlaps among them. */
export const LIVE_STATUSES: readonly BookingStatus[] = ['held', 'confirmed', 'active'];

export interface Booking {
  id: string;
  tenantId: string;
  siteId: string;
  spaceId: string;
  accountId: string;
  from: Date;
  to: Date;
  status: BookingStatus;
  holdExpiresAt: Date | null;
  createdAt: Date;
}

/** The result of creating a booking: the PIN exists in clear only here, once. */
export interface CreatedBooking {
  booking: Booking;
  pin: string | null;
}
