// GraphQL operations of the booking-core load tests, shared by the k6 scripts and the Node
// bench (loadtests/bench), so both measure exactly the same requests. Plain strings: no
// imports, valid in k6 and in Node alike.

/** The API ceiling: what Yoga costs with no resolver work at all. */
export const TRIVIAL = '{ __typename }';

export const AVAILABILITY = `query Availability($siteId: ID!, $from: DateTime!, $to: DateTime!) {
  availability(siteId: $siteId, from: $from, to: $to) { id label }
}`;

export const CREATE_BOOKING = `mutation CreateBooking($input: CreateBookingInput!) {
  createBooking(input: $input) {
    __typename
    ... on Booking { id status }
    ... on Error { message }
  }
}`;

export const CONFIRM_BOOKING = `mutation ConfirmBooking($id: ID!) {
  confirmBooking(id: $id) { __typename ... on Booking { id status } ... on Error { message } }
}`;

export const CANCEL_BOOKING = `mutation CancelBooking($id: ID!) {
  cancelBooking(id: $id) { __typename ... on Booking { id status } ... on Error { message } }
}`;

export const UNLOCK = `mutation Unlock($bookingId: ID!) {
  unlock(bookingId: $bookingId) { __typename ... on LockCommand { id status } ... on Error { message } }
}`;

export const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { __typename ... on AuthPayload { token } ... on Error { message } }
}`;

export const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) { __typename ... on AuthPayload { token } ... on Error { message } }
}`;

export const MY_BOOKINGS = `query MyBookings {
  myBookings(first: 10) { edges { node { id status from to } } }
}`;

export const SITES = `query Sites($first: Int) {
  sites(first: $first) { edges { node { id name } } }
}`;

/** Staff only: pairs of live bookings of one space with overlapping periods (must be 0). */
export const BOOKING_OVERLAPS = `query BookingOverlaps {
  bookingOverlaps { pairs checkedAt }
}`;

const HOUR_MS = 3600000;

/**
 * The n-th bookable one-hour slot of a pool of spaces, far enough ahead that no other scenario
 * books it: consecutive n walk through the spaces first, then the hours, so no two n overlap.
 * `base` is a whole hour (ms since epoch).
 */
export function poolSlot(n, spaceCount, base) {
  const slot = Math.floor(n / spaceCount);
  const from = base + slot * HOUR_MS;
  return {
    spaceIndex: n % spaceCount,
    from: new Date(from).toISOString(),
    to: new Date(from + HOUR_MS).toISOString(),
  };
}

/** A whole hour `days` days from now (UTC), at `hourUtc` o'clock: the start of a window. */
export function dayAt(days, hourUtc, now) {
  const d = new Date(now);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.getTime() + days * 24 * HOUR_MS;
}

export { HOUR_MS };
