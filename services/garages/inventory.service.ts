import type { Clock } from '../core/clock.ts';
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
import { type Actor, isStaff, withActor } from '../core/tenancy.ts';
import { MAX_RADIUS_KM } from './availability.service.ts';
import {
  parseInput,
  siteInputSchema,
  sitePatchSchema,
  spaceInputSchema,
  spacePatchSchema,
} from './inventory.validation.ts';
import { type SiteFilter, siteRepository } from './site.repository.ts';
import type { Site, SiteInput, SitePatch } from './site.ts';
import { spaceRepository } from './space.repository.ts';
import type { Space, SpaceInput, SpacePatch } from './space.ts';

/** Operators (and admins) of a town manage that town's garages and spaces; nobody else. */
function requireManager(actor: Actor): asserts actor is Actor & { tenantId: string } {
  if (!isStaff(actor) || actor.role === 'planner') {
    throw new ForbiddenError('Only operators and admins of a town manage its sites and spaces');
  }
}

/** Unique indexes that guard inventory, and what an operator is told when one says no. */
const uniqueMessages: Record<string, [message: string, field: string]> = {
  space_lock_device_unique: ['This lock already opens another space', 'lockDeviceId'],
  space_label_unique: ['This site has a space with this label already', 'label'],
  site_external_ref_unique: ['A site with this external reference exists already', 'externalRef'],
};

async function mapUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const known = uniqueMessages[pgConstraint(error) ?? ''];
    if (pgErrorCode(error) === PgCode.uniqueViolation && known) throw new ValidationError(...known);
    throw error;
  }
}

export class InventoryService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async sitesByIds(actor: Actor, ids: readonly string[]): Promise<(Site | undefined)[]> {
    const valid = ids.filter(isUuid);
    const found = await withActor(this.db, actor, (tx) => siteRepository.findByIds(tx, valid));
    const byId = new Map(found.filter((s) => s !== undefined).map((s) => [s.id, s]));
    return ids.map((id) => byId.get(id));
  }

  async spacesByIds(actor: Actor, ids: readonly string[]): Promise<(Space | undefined)[]> {
    const valid = ids.filter(isUuid);
    const found = await withActor(this.db, actor, (tx) => spaceRepository.findByIds(tx, valid));
    const byId = new Map(found.filter((s) => s !== undefined).map((s) => [s.id, s]));
    return ids.map((id) => byId.get(id));
  }

  async listSites(
    actor: Actor,
    filter: SiteFilter,
    page: { limit: number; offset: number },
  ): Promise<Site[]> {
    if (filter.near && filter.radiusKm === undefined)
      throw new ValidationError('Give radiusKm with near', 'radiusKm');
    if (filter.radiusKm !== undefined && !(filter.radiusKm > 0 && filter.radiusKm <= MAX_RADIUS_KM)) {
      throw new ValidationError(`The radius must be more than 0 and at most ${MAX_RADIUS_KM} km`, 'radiusKm');
    }
    return withActor(this.db, actor, (tx) => siteRepository.list(tx, filter, page));
  }

  async listSpaces(actor: Actor, siteId: string): Promise<Space[]> {
    return withActor(this.db, actor, (tx) => spaceRepository.listBySite(tx, siteId));
  }

  async createSite(actor: Actor, input: Omit<SiteInput, 'tenantId'>): Promise<Site> {
    requireManager(actor);
    const valid = parseInput(siteInputSchema, input);
    return mapUniqueViolation(() =>
      withActor(this.db, actor, (tx) => siteRepository.insert(tx, { ...valid, tenantId: actor.tenantId })),
    );
  }

  async updateSite(actor: Actor, id: string, patch: SitePatch): Promise<Site> {
    requireManager(actor);
    const valid = parseInput(sitePatchSchema, patch);
    const site = await mapUniqueViolation(() =>
      withActor(this.db, actor, (tx) => siteRepository.update(tx, id, valid)),
    );
    if (!site) throw new NotFoundError('Site not found');
    return site;
  }

  async retireSite(actor: Actor, id: string): Promise<Site> {
    requireManager(actor);
    const site = await withActor(this.db, actor, (tx) => siteRepository.retire(tx, id, this.clock.now()));
    if (!site) throw new NotFoundError('Site not found');
    return site;
  }

  async createSpace(actor: Actor, input: SpaceInput): Promise<Space> {
    requireManager(actor);
    const valid = parseInput(spaceInputSchema, input);
    return mapUniqueViolation(() =>
      withActor(this.db, actor, async (tx) => {
        const site = await siteRepository.findById(tx, input.siteId);
        if (!site || site.retiredAt) throw new NotFoundError('Site not found');
        return spaceRepository.insert(tx, site.tenantId, { ...valid, siteId: site.id });
      }),
    );
  }

  async updateSpace(actor: Actor, id: string, patch: SpacePatch): Promise<Space> {
    requireManager(actor);
    const valid = parseInput(spacePatchSchema, patch);
    return mapUniqueViolation(() =>
      withActor(this.db, actor, async (tx) => {
        const space = await spaceRepository.findById(tx, id);
        if (!space) throw new NotFoundError('Space not found');
        const updated = await spaceRepository.update(tx, space, valid);
        if (!updated) throw new NotFoundError('Space not found');
        return updated;
      }),
    );
  }

  async retireSpace(actor: Actor, id: string): Promise<Space> {
    requireManager(actor);
    const space = await withActor(this.db, actor, (tx) => spaceRepository.retire(tx, id, this.clock.now()));
    if (!space) throw new NotFoundError('Space not found');
    return space;
  }
}
