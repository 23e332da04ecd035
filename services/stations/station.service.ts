import type { Db } from '../core/db/database.ts';
import {
  ForbiddenError,
  NotFoundError,
  PgCode,
  pgConstraint,
  pgErrorCode,
  ValidationError,
} from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, systemActor, withActor } from '../core/tenancy.ts';
import { MAX_RADIUS_KM } from '../garages/availability.service.ts';
import { parseInput } from '../garages/inventory.validation.ts';
import { type StationFilter, stationRepository } from './station.repository.ts';
import type { MobilityStation, StationInput, StationPatch } from './station.ts';
import { stationInputSchema, stationPatchSchema } from './station.validation.ts';

export function requireManager(
  actor: Actor,
): asserts actor is Actor & { tenantId: string; accountId: string } {
  if (!isStaff(actor) || actor.role === 'planner') {
    throw new ForbiddenError('Only operators and admins of a town manage its stations and vehicles');
  }
}

/** Constraints that guard stations, and what an operator is told when one says no. */
const constraintMessages: Record<string, [message: string, field: string]> = {
  mobility_station_garage_fk: [
    'Link a bike garage (site of kind bike_garage) of your town',
    'bikeGarageSiteId',
  ],
  mobility_station_bench_fk: ['Link a ride-share bench (site of kind bench) of your town', 'benchSiteId'],
  site_external_ref_unique: ['A site with this external reference exists already', 'externalRef'],
};

async function mapConstraintViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = pgErrorCode(error);
    const known = constraintMessages[pgConstraint(error) ?? ''];
    if (known && (code === PgCode.foreignKeyViolation || code === PgCode.uniqueViolation)) {
      throw new ValidationError(...known);
    }
    throw error;
  }
}

/** Mobility stations: everybody reads the open ones; operators of a town manage that town's. */
export class StationService {
  /** Stations are retired like any site (retireSite), which keeps their trips on record. */
  constructor(private readonly db: Db) {}

  async byIds(actor: Actor, ids: readonly string[]): Promise<(MobilityStation | undefined)[]> {
    const valid = ids.filter(isUuid);
    const found = await withActor(this.db, actor, (tx) => stationRepository.findByIds(tx, valid));
    const byId = new Map(found.filter((s) => s !== undefined).map((s) => [s.id, s]));
    return ids.map((id) => byId.get(id));
  }

  async list(actor: Actor, filter: StationFilter, page: { limit: number; offset: number }) {
    if (filter.near && filter.radiusKm === undefined)
      throw new ValidationError('Give radiusKm with near', 'radiusKm');
    if (filter.radiusKm !== undefined && !(filter.radiusKm > 0 && filter.radiusKm <= MAX_RADIUS_KM)) {
      throw new ValidationError(`The radius must be more than 0 and at most ${MAX_RADIUS_KM} km`, 'radiusKm');
    }
    return withActor(this.db, actor, (tx) => stationRepository.list(tx, filter, page));
  }

  /** Vehicles standing at each station now. */
  async parkedCounts(actor: Actor, stationIds: readonly string[]): Promise<Map<string, number>> {
    return withActor(this.db, actor, (tx) => stationRepository.parkedCounts(tx, stationIds.filter(isUuid)));
  }

  /** Whether the station's town lets a vehicle go back to another station than where it was taken. */
  async oneWayReturns(actor: Actor, tenantId: string): Promise<boolean> {
    return withActor(
      this.db,
      actor,
      async (tx) => (await stationRepository.townRules(tx, tenantId))?.oneWayReturns ?? false,
    );
  }

  /**
   * Whether riders of the town may end a trip at another station than the start. A town
   * setting: tenant rows are written by the system only, so the manager check comes first and
   * the one column is set for the manager's own town.
   */
  async setOneWayReturns(actor: Actor, allowed: boolean): Promise<string> {
    requireManager(actor);
    await withActor(this.db, systemActor, (tx) =>
      tx.updateTable('tenant').set({ one_way_returns: allowed }).where('id', '=', actor.tenantId).execute(),
    );
    return actor.tenantId;
  }

  async create(actor: Actor, input: StationInput): Promise<MobilityStation> {
    requireManager(actor);
    const valid = parseInput(stationInputSchema, input);
    return mapConstraintViolation(() =>
      withActor(this.db, actor, (tx) => stationRepository.insert(tx, actor.tenantId, valid)),
    );
  }

  async update(actor: Actor, id: string, patch: StationPatch): Promise<MobilityStation> {
    requireManager(actor);
    const valid = parseInput(stationPatchSchema, patch);
    if (!isUuid(id)) throw new NotFoundError('Station not found');
    const station = await mapConstraintViolation(() =>
      withActor(this.db, actor, (tx) => stationRepository.update(tx, id, valid)),
    );
    if (!station) throw new NotFoundError('Station not found');
    return station;
  }
}
