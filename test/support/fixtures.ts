import { randomBytes } from 'node:crypto';
import type { Db } from '../../services/core/db/database.ts';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { siteRepository } from '../../services/garages/site.repository.ts';
import { spaceRepository } from '../../services/garages/space.repository.ts';
import type { SpaceType } from '../../services/garages/space.ts';
import type { TestPlatform } from './platform.ts';

/** A garage with spaces, inserted through the real repositories; names are random so tests never collide. */
export async function createGarage(
  db: Db,
  options: {
    tenantId?: string;
    spaces?: Partial<Record<SpaceType, number>>;
    lat?: number;
    lon?: number;
  } = {},
) {
  const tenantId = options.tenantId ?? 'soest';
  return withActor(db, systemActor, async (tx) => {
    const site = await siteRepository.insert(tx, {
      tenantId,
      name: `Test-Garage ${randomBytes(3).toString('hex')}`,
      lat: options.lat ?? 51.5782,
      lon: options.lon ?? 8.1085,
      openingHours: '24/7',
    });
    const spaces = [];
    for (const [type, count] of Object.entries(options.spaces ?? { STANDARD: 1 })) {
      for (let n = 1; n <= (count ?? 0); n++) {
        spaces.push(
          await spaceRepository.insert(tx, tenantId, {
            siteId: site.id,
            label: `${type[0]}${n}`,
            type: type as SpaceType,
            lockDeviceId: `lock-${randomBytes(4).toString('hex')}`,
          }),
        );
      }
    }
    return { site, spaces };
  });
}

/** Whole hours from now, so periods are never in the past. */
export function hoursFromNow(hours: number, base = new Date()): Date {
  const d = new Date(base);
  d.setUTCMinutes(0, 0, 0);
  return new Date(d.getTime() + hours * 3_600_000);
}

export const CREATE_BOOKING = `
  mutation($input: CreateBookingInput!) {
    createBooking(input: $input) {
      __typename
      ... on Booking { id status from to accessPin qrToken holdExpiresAt space { id } }
      ... on ValidationError { field }
      ... on Error { message }
    }
  }`;

/**
 * createBooking through GraphQL for `spaceId` from `fromHours` to `toHours` hours after `now`
 * (whole hours, see hoursFromNow); the response as the test platform returns it.
 */
export function bookSpace(
  platform: Pick<TestPlatform, 'gql'>,
  token: string,
  booking: { spaceId: string; fromHours: number; toHours: number; key: string; now: Date },
) {
  return platform.gql(
    CREATE_BOOKING,
    {
      input: {
        spaceId: booking.spaceId,
        from: hoursFromNow(booking.fromHours, booking.now),
        to: hoursFromNow(booking.toHours, booking.now),
        idempotencyKey: booking.key,
      },
    },
    token,
  );
}
