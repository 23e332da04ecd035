import type { Clock } from '../core/clock.ts';
import type { Db, Tx } from '../core/db/database.ts';
import { ForbiddenError, NotAuthenticatedError, NotFoundError, ValidationError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, withActor } from '../core/tenancy.ts';
import { tenantRepository } from '../core/tenant.ts';
import { notificationRepository } from '../notifications/notification.repository.ts';
import { availabilityRepository } from './availability.repository.ts';
import { validatePeriod } from './booking-period.ts';
import { siteRepository } from './site.repository.ts';
import { spaceRepository } from './space.repository.ts';
import { spaceFreedMessage } from './waitlist.messages.ts';
import { waitlistRepository } from './waitlist.repository.ts';
import type { JoinWaitlistInput, WaitlistEntry } from './waitlist.ts';

export interface FreedSpace {
  tenantId: string;
  siteId: string;
  spaceId: string;
  from: Date;
  to: Date;
}

/**
 * The waitlist for full garages: when a matching space frees, everyone waiting is told at
 * once, and whoever books first gets it (the exclusion constraint settles the race).
 */
export class WaitlistService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async join(actor: Actor, input: JoinWaitlistInput): Promise<WaitlistEntry> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    if (actor.role !== 'commuter') throw new ForbiddenError('Only commuters join waitlists');
    if (!isUuid(input.siteId)) throw new NotFoundError('Site not found');
    const now = this.clock.now();
    return withActor(this.db, actor, async (tx) => {
      const site = await siteRepository.findById(tx, input.siteId);
      if (!site || site.retiredAt) throw new NotFoundError('Site not found');
      const tenant = await tenantRepository.findById(tx, site.tenantId);
      if (!tenant) throw new NotFoundError('Site not found');
      validatePeriod(input.from, input.to, tenant, now);
      const spaces = await spaceRepository.listBySite(tx, site.id, input.spaceType);
      if (spaces.length === 0) throw new ValidationError('This site has no spaces of this type', 'spaceType');
      const busy = await availabilityRepository.busySpaceIds(
        tx,
        spaces.map((s) => s.id),
        input.from,
        input.to,
        now,
      );
      if (busy.size < spaces.length) {
        throw new ValidationError(
          'A space is free for this period: book it directly / Es ist ein Platz frei',
          'spaceType',
        );
      }
      return waitlistRepository.insertOrGet(tx, {
        tenantId: site.tenantId,
        siteId: site.id,
        accountId: actor.accountId!,
        spaceType: input.spaceType,
        from: input.from,
        to: input.to,
      });
    });
  }

  async leave(actor: Actor, id: string): Promise<WaitlistEntry> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    const left = isUuid(id)
      ? await withActor(this.db, actor, (tx) => waitlistRepository.leave(tx, id))
      : undefined;
    if (!left) throw new NotFoundError('Waitlist entry not found');
    return left;
  }

  async listMine(actor: Actor): Promise<WaitlistEntry[]> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    return withActor(this.db, actor, (tx) => waitlistRepository.listByAccount(tx, actor.accountId!));
  }

  /**
   * Called by the booking event worker (system actor) in its transaction: tells everyone
   * whose wish the freed space can now serve. Returns how many were notified.
   */
  async releaseFreedSpace(tx: Tx, freed: FreedSpace): Promise<number> {
    const now = this.clock.now();
    const [space] = await spaceRepository.findByIds(tx, [freed.spaceId]);
    const site = await siteRepository.findById(tx, freed.siteId);
    if (!space || space.retiredAt || !site) return 0;
    const candidates = await waitlistRepository.findMatching(tx, {
      siteId: freed.siteId,
      spaceType: space.type,
      from: freed.from,
      to: freed.to,
      now,
    });
    const servable = [];
    for (const entry of candidates) {
      const busy = await availabilityRepository.busySpaceIds(tx, [space.id], entry.from, entry.to, now);
      if (!busy.has(space.id)) servable.push(entry);
    }
    await notificationRepository.insertMany(
      tx,
      servable.map((entry) => ({
        accountId: entry.accountId,
        tenantId: entry.tenantId,
        kind: 'waitlist_space_free',
        ...spaceFreedMessage(entry, site.name, entry.locale),
        payload: {
          waitlistEntryId: entry.id,
          siteId: entry.siteId,
          spaceId: space.id,
          spaceType: entry.spaceType,
          from: entry.from.toISOString(),
          to: entry.to.toISOString(),
        },
      })),
    );
    await waitlistRepository.markNotified(
      tx,
      servable.map((e) => e.id),
      now,
    );
    return servable.length;
  }
}
