import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema, schemaFile } from './print-schema.ts';

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema:print` after changing types)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(printedSchema());
  });

  it('keeps the fixed contract of the booking core', () => {
    const sdl = printedSchema();
    for (const line of [
      'me: Account',
      'sites(after: String, first: Int, near: GeoPointInput, radiusKm: Float, tenant: String): SiteConnection!',
      'availability(from: DateTime!, siteId: ID!, spaceType: SpaceType, to: DateTime!): [Space!]!',
      'myBookings(after: String, first: Int): BookingConnection!',
      'booking(id: ID!): Booking',
      'register(input: RegisterInput!): RegisterResult!',
      'login(input: LoginInput!): LoginResult!',
      'createBooking(input: CreateBookingInput!): CreateBookingResult!',
      'confirmBooking(id: ID!): ConfirmBookingResult!',
      'cancelBooking(id: ID!): CancelBookingResult!',
      'joinWaitlist(input: JoinWaitlistInput!): JoinWaitlistResult!',
      'availabilityChanged(siteId: ID!): AvailabilityChange!',
    ]) {
      expect(sdl).toContain(line);
    }
    expect(sdl).toMatch(
      /union CreateBookingResult = Booking \|.*IdempotencyConflictError.*SpaceUnavailableError.*ValidationError/,
    );
    expect(sdl).toMatch(/union RegisterResult = AuthPayload/);
    expect(sdl).toMatch(/union LoginResult = AuthPayload/);
  });
});
