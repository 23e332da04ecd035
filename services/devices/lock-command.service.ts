import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import {
  DeviceUnreachableError,
  ForbiddenError,
  NotAuthenticatedError,
  NotFoundError,
  ValidationError,
} from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, withActor } from '../core/tenancy.ts';
import { tenantRepository } from '../core/tenant.ts';
import { bookingRepository } from '../garages/booking.repository.ts';
import { spaceRepository } from '../garages/space.repository.ts';
import type { CommandResultWaiter } from './command-result-waiter.ts';
import { lockCommandRepository } from './lock-command.repository.ts';
import type { LockAction, LockCommand, LockCommandTransition } from './lock-command.ts';

export const FORCE_UNLOCK_REASON_MAX = 500;

/**
 * Opening and closing locks. A command goes into the outbox in the same transaction as the
 * change it serves; the bridge delivers it. The caller waits up to the timeout for the lock's
 * answer. The command expires at the same moment, so a lock that answers "too late" refuses
 * it: a commuter told "unreachable" never finds the box open behind their back.
 */
export class LockCommandService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly waiter: CommandResultWaiter,
    private readonly timeoutMs: number,
  ) {}

  async unlock(actor: Actor, bookingId: string): Promise<LockCommand> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    if (actor.role !== 'commuter') throw new ForbiddenError('Staff use forceUnlockSpace');
    if (!isUuid(bookingId)) throw new NotFoundError('Booking not found');
    const now = this.clock.now();
    const command = await withActor(this.db, actor, async (tx) => {
      const booking = await bookingRepository.findByIdForUpdate(tx, bookingId);
      if (!booking) throw new NotFoundError('Booking not found');
      if (booking.status !== 'confirmed' && booking.status !== 'active') {
        throw new ForbiddenError(
          `A ${booking.status} booking does not open the box / Diese Buchung öffnet die Box nicht`,
        );
      }
      const tenant = await tenantRepository.findById(tx, booking.tenantId);
      const graceMs = (tenant?.accessGraceMinutes ?? 0) * 60_000;
      if (
        now.getTime() < booking.from.getTime() - graceMs ||
        now.getTime() > booking.to.getTime() + graceMs
      ) {
        throw new ForbiddenError(
          'The box opens only during your booking / Die Box öffnet nur während Ihrer Buchung',
        );
      }
      const space = await spaceRepository.findById(tx, booking.spaceId);
      if (!space?.lockDeviceId) throw new NotFoundError('This space has no lock');
      // The first opening starts the booking.
      if (booking.status === 'confirmed') await bookingRepository.setStatus(tx, booking.id, 'active');
      return lockCommandRepository.enqueue(tx, {
        tenantId: booking.tenantId,
        deviceId: space.lockDeviceId,
        spaceId: space.id,
        bookingId: booking.id,
        action: 'unlock',
        requestedBy: actor.accountId!,
        issuedAt: now,
        expiresAt: new Date(now.getTime() + this.timeoutMs),
      });
    });
    return this.awaitResult(actor, command);
  }

  /** Operators (and admins) of the space's town lock it, or open it without a booking. */
  async operate(
    actor: Actor,
    spaceId: string,
    action: Exclude<LockAction, 'unlock'>,
    reason?: string | null,
  ) {
    if (!isStaff(actor) || actor.role === 'planner')
      throw new ForbiddenError('Only operators of the town operate locks');
    if (action === 'force_unlock' && (!reason?.trim() || reason.length > FORCE_UNLOCK_REASON_MAX)) {
      throw new ValidationError(
        `Say why (1 to ${FORCE_UNLOCK_REASON_MAX} characters); it is kept on record`,
        'reason',
      );
    }
    if (!isUuid(spaceId)) throw new NotFoundError('Space not found');
    const now = this.clock.now();
    const command = await withActor(this.db, actor, async (tx) => {
      const space = await spaceRepository.findById(tx, spaceId);
      if (!space) throw new NotFoundError('Space not found');
      if (!space.lockDeviceId) throw new NotFoundError('This space has no lock');
      return lockCommandRepository.enqueue(tx, {
        tenantId: space.tenantId,
        deviceId: space.lockDeviceId,
        spaceId: space.id,
        bookingId: null,
        action,
        requestedBy: actor.accountId,
        issuedAt: now,
        expiresAt: new Date(now.getTime() + this.timeoutMs),
        params: reason ? { reason: reason.trim() } : {},
      });
    });
    return this.awaitResult(actor, command);
  }

  async get(actor: Actor, id: string): Promise<LockCommand | null> {
    if (!actor.accountId || !isUuid(id)) return null;
    return (await withActor(this.db, actor, (tx) => lockCommandRepository.findById(tx, id))) ?? null;
  }

  async transitions(actor: Actor, id: string): Promise<LockCommandTransition[]> {
    return withActor(this.db, actor, (tx) => lockCommandRepository.transitions(tx, id));
  }

  private async awaitResult(actor: Actor, command: LockCommand): Promise<LockCommand> {
    const final = await this.waiter.waitForFinal(
      command.id,
      this.timeoutMs,
      async () => (await this.get(actor, command.id))?.status,
    );
    const latest = (await this.get(actor, command.id)) ?? command;
    if (final === null || final === 'expired') throw new DeviceUnreachableError(command.id);
    return latest;
  }
}
