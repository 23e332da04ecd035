import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import { NotFoundError, PgCode, pgErrorCode, ValidationError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, withActor } from '../core/tenancy.ts';
import { availabilityRepository } from './availability.repository.ts';
import { distanceKm } from './geo.ts';
import { siteRepository } from './site.repository.ts';
import type { GeoPoint, Site } from './site.ts';
import { spaceRepository } from './space.repository.ts';
import type { Space, SpaceType } from './space.ts';

export const MAX_RADIUS_KM = 50;
export const MAX_NEARBY_SITES = 100;

export interface SiteAvailability {
  site: Site;
  distanceKm: number | null;
  freeSpaces: Space[];
}

function checkWindow(from: Date, to: Date): void {
  if (to.getTime() <= from.getTime()) throw new ValidationError('The end must be after the start', 'to');
}

/** Free spaces for a time window: exact against live bookings, holds past their expiry count as free. */
export class AvailabilityService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * One statement, no transaction: availability is public (open sites and spaces, never who
   * booked), and it is the most frequent request of all (BENCHMARKS.md).
   */
  async freeSpacesAtSite(
    _actor: Actor,
    siteId: string,
    from: Date,
    to: Date,
    type?: SpaceType,
  ): Promise<Space[]> {
    checkWindow(from, to);
    if (!isUuid(siteId)) throw new NotFoundError('Site not found');
    try {
      return await availabilityRepository.freeSpaces(this.db, siteId, from, to, this.clock.now(), type);
    } catch (error) {
      if (pgErrorCode(error) === PgCode.noDataFound) throw new NotFoundError('Site not found');
      throw error;
    }
  }

  async freeSpacesNear(
    actor: Actor,
    near: GeoPoint,
    radiusKm: number,
    from: Date,
    to: Date,
    type?: SpaceType,
  ): Promise<SiteAvailability[]> {
    checkWindow(from, to);
    if (!(radiusKm > 0 && radiusKm <= MAX_RADIUS_KM)) {
      throw new ValidationError(`The radius must be more than 0 and at most ${MAX_RADIUS_KM} km`, 'radiusKm');
    }
    return withActor(this.db, actor, async (tx) => {
      const sites = await siteRepository.list(tx, { near, radiusKm }, { limit: MAX_NEARBY_SITES, offset: 0 });
      const spaces = await spaceRepository.listBySites(
        tx,
        sites.map((s) => s.id),
        type,
      );
      const busy = await availabilityRepository.busySpaceIds(
        tx,
        spaces.map((s) => s.id),
        from,
        to,
        this.clock.now(),
      );
      // Garages are listed even when full; other sites (a mobility station, services/stations)
      // only where they have spaces of the type asked for: a station without boxes is no box site.
      const boxSites = sites.filter(
        (site) => site.kind === 'bike_garage' || spaces.some((s) => s.siteId === site.id),
      );
      return boxSites.map((site) => ({
        site,
        distanceKm: Math.round(distanceKm(near, site.position) * 1000) / 1000,
        freeSpaces: spaces.filter((s) => s.siteId === site.id && !busy.has(s.id)),
      }));
    });
  }
}
