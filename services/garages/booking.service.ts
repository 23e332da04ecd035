import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import type { Db, Tx } from '../core/db/database.ts';
import {
  BookingStateError,
  ForbiddenError,
  IdempotencyConflictError,
  NotAuthenticatedError,
  NotFoundError,
  PgCode,
  pgErrorCode,
  SpaceUnavailableError,
} from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, retryingDeadlocks, systemActor, withActor } from '../core/tenancy.ts';
import { tenantRepository } from '../core/tenant.ts';
import type { AccessCredentials } from './access-credential.ts';
import { bookingRepository } from './booking.repository.ts';
import type { Booking, CreatedBooking } from './booking.ts';
import { bookingCreationRepository } from './booking-creation.repository.ts';
import { bookingIntegrityRepository } from './booking-integrity.repository.ts';
import { validatePeriod, validatePeriodBeforeTown } from './booking-period.ts';
import { idempotencyRepository } from './idempotency.repository.ts';
import { idempotencyKeyOf, periodRequestHash } from './idempotent-request.ts';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;
const CREATE_BOOKING = 'createBooking';

export interface CreateBookingInput {
  spaceId: string;
  from: Date;
  to: Date;
  idempotencyKey: string;
}

/** Rolls the transaction back when another request claimed the idempotency key first. */
class KeyTakenMeanwhile extends Error {}

function requireCommuter(actor: Actor): asserts actor is Actor & { accountId: string } {
  if (!actor.accountId) throw new NotAuthenticatedError();
  if (actor.role !== 'commuter')
    throw new ForbiddenError('Staff accounts cannot book; use a commuter account');
}

function requestHash(input: CreateBookingInput): string {
  return periodRequestHash(input.spaceId, input.from, input.to);
}

/**
 * The confirm rule, shared with payments (which confirm on a payment webhook): a HELD booking
 * whose hold has not lapsed becomes CONFIRMED; a confirmed or active one needs nothing (null).
 */
export function confirmDecision(booking: Booking, now: Date): 'confirmed' | null {
  if (booking.status === 'confirmed' || booking.status === 'active') return null;
  if (booking.status !== 'held')
    throw new BookingStateError(`A ${booking.status} booking cannot be confirmed`);
  if (booking.holdExpiresAt && booking.holdExpiresAt <= now) {
    throw new BookingStateError('The hold has expired; book again / Die Reservierung ist abgelaufen');
  }
  return 'confirmed';
}

/** The cancel rule, shared with payments (which refund in the same transaction). */
export function cancelDecision(booking: Booking): 'cancelled' | null {
  if (booking.status === 'cancelled') return null;
  if (booking.status !== 'held' && booking.status !== 'confirmed') {
    throw new BookingStateError(`A ${booking.status} booking cannot be cancelled`);
  }
  return 'cancelled';
}

export class BookingService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly credentials: AccessCredentials,
  ) {}

  /**
   * Holds a space for the period. The database's exclusion constraint decides races: of
   * any number of overlapping attempts exactly one commits, the rest get SpaceUnavailableError.
   */
  async create(actor: Actor, input: CreateBookingInput): Promise<CreatedBooking> {
    requireCommuter(actor);
    const key = idempotencyKeyOf(input.idempotencyKey, IDEMPOTENCY_KEY_MAX_LENGTH);
    if (!isUuid(input.spaceId)) throw new NotFoundError('Space not found');
    const hash = requestHash(input);
    try {
      return await this.attemptCreate(actor, input, key, hash);
    } catch (error) {
      if (error instanceof KeyTakenMeanwhile) return this.replayOrConflict(actor, key, hash);
      if (pgErrorCode(error) !== PgCode.exclusionViolation) throw error;
    }
    // The space is taken for the period. Holds that ran out but were not swept yet still
    // block the constraint: expire them and try once more. Done only after a conflict, so
    // the usual booking needs no extra transaction.
    const expired = await withActor(this.db, systemActor, (tx) =>
      bookingRepository.expireStaleHolds(tx, this.clock.now(), input.spaceId),
    );
    try {
      if (expired > 0) return await this.attemptCreate(actor, input, key, hash);
    } catch (error) {
      if (error instanceof KeyTakenMeanwhile) return this.replayOrConflict(actor, key, hash);
      if (pgErrorCode(error) !== PgCode.exclusionViolation) throw error;
    }
    // A retry with the same key that raced the first attempt loses on the constraint, not on
    // the key: it gets the first attempt's booking.
    const replay = await withActor(this.db, actor, (tx) => this.replay(tx, actor.accountId!, key, hash));
    if (replay) return replay;
    throw new SpaceUnavailableError();
  }

  /**
   * One statement, its own transaction (booking-creation.repository.ts): the context (space, town,
   * earlier key) is read and the key claimed with the insert; the rules are checked on what it read.
   */
  private async attemptCreate(
    actor: Actor & { accountId: string },
    input: CreateBookingInput,
    key: string,
    hash: string,
  ): Promise<CreatedBooking> {
    const now = this.clock.now();
    try {
      validatePeriodBeforeTown(input.from, input.to, now);
    } catch (error) {
      // A retry of a booking made earlier replays it even when its start has passed since.
      const replay = await withActor(this.db, actor, (tx) => this.replay(tx, actor.accountId, key, hash));
      if (replay) return replay;
      throw error;
    }
    const id = randomUUID();
    const pin = this.credentials.generatePin();
    // The statement commits on its own (it is the whole transaction): whatever it inserted is
    // final, so it may insert only what the rules allow, and it does: a booking only with an
    // unused key, on a space that is not retired, for at most the town's longest period.
    // Everything else below reads what it found and decides the answer. Racing inserts into
    // one space can still deadlock on the exclusion constraint: then it runs again.
    const { context, booking } = await retryingDeadlocks(() =>
      bookingCreationRepository.insertHeldClaimingKey(
        this.db,
        {
          id,
          spaceId: input.spaceId,
          accountId: actor.accountId,
          from: input.from,
          to: input.to,
          pinHash: this.credentials.hashPin(id, pin),
          now,
        },
        { operation: CREATE_BOOKING, key, requestHash: hash },
      ),
    );
    if (booking) return { booking, pin };
    // The replay comes first, even when the space has been retired since.
    if (!context || context.existingKey) {
      const replay = await withActor(this.db, actor, (tx) => this.replay(tx, actor.accountId, key, hash));
      if (replay) return replay;
    }
    if (!context || context.space.retiredAt) throw new NotFoundError('Space not found');
    validatePeriod(input.from, input.to, context.tenant, now);
    // A concurrent request with the same key committed first: nothing was inserted.
    throw new KeyTakenMeanwhile();
  }

  private async replayOrConflict(actor: Actor & { accountId: string }, key: string, hash: string) {
    const replay = await withActor(this.db, actor, (tx) => this.replay(tx, actor.accountId, key, hash));
    if (!replay) throw new IdempotencyConflictError();
    return replay;
  }

  /** Same key and same input: the booking made the first time (its PIN is not shown again). */
  private async replay(
    tx: Tx,
    accountId: string,
    key: string,
    hash: string,
  ): Promise<CreatedBooking | undefined> {
    const existing = await idempotencyRepository.find(tx, accountId, CREATE_BOOKING, key);
    if (!existing) return undefined;
    if (existing.requestHash !== hash || !existing.bookingId) throw new IdempotencyConflictError();
    const booking = await bookingRepository.findById(tx, existing.bookingId);
    if (!booking) throw new IdempotencyConflictError();
    return { booking, pin: null };
  }

  async confirm(actor: Actor, id: string): Promise<Booking> {
    requireCommuter(actor);
    return this.transition(actor, id, (booking) => confirmDecision(booking, this.clock.now()));
  }

  /** The owner cancels before the booking starts; operators of the town may cancel too. */
  async cancel(actor: Actor, id: string): Promise<Booking> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    if (actor.role === 'planner') throw new ForbiddenError('Planners cannot change bookings');
    return this.transition(actor, id, cancelDecision);
  }

  /** Operators record a commuter who never came; the space is released for the waitlist. */
  async markNoShow(actor: Actor, id: string): Promise<Booking> {
    if (!isStaff(actor) || actor.role === 'planner')
      throw new ForbiddenError('Only operators record no-shows');
    return this.transition(actor, id, (booking) => {
      if (booking.status !== 'confirmed' && booking.status !== 'active') {
        throw new BookingStateError(`A ${booking.status} booking cannot become a no-show`);
      }
      if (booking.from > this.clock.now()) throw new BookingStateError('The booking has not started yet');
      return 'no_show';
    });
  }

  /**
   * Reads the booking under a row lock, asks `decide` for the next status (null: nothing to do),
   * writes it. Row-level security hides other people's bookings, which then count as not found.
   */
  private async transition(
    actor: Actor,
    id: string,
    decide: (booking: Booking) => Booking['status'] | null,
  ): Promise<Booking> {
    if (!isUuid(id)) throw new NotFoundError('Booking not found');
    return withActor(this.db, actor, async (tx) => {
      const booking = await bookingRepository.findByIdForUpdate(tx, id);
      if (!booking) throw new NotFoundError('Booking not found');
      const next = decide(booking);
      return next ? bookingRepository.setStatus(tx, id, next) : booking;
    });
  }

  /** Staff: pairs of overlapping live bookings in the region (always 0; load tests check it). */
  async overlappingPairs(actor: Actor): Promise<number> {
    if (!isStaff(actor)) throw new ForbiddenError('Only staff check booking consistency');
    return withActor(this.db, actor, (tx) => bookingIntegrityRepository.overlappingPairs(tx));
  }

  async get(actor: Actor, id: string): Promise<Booking | null> {
    if (!actor.accountId || !isUuid(id)) return null;
    return (await withActor(this.db, actor, (tx) => bookingRepository.findById(tx, id))) ?? null;
  }

  async listMine(actor: Actor, page: { limit: number; offset: number }): Promise<Booking[]> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    return withActor(this.db, actor, (tx) => bookingRepository.listByAccount(tx, actor.accountId!, page));
  }

  async listForTenant(
    actor: Actor,
    from: Date,
    to: Date,
    page: { limit: number; offset: number },
  ): Promise<Booking[]> {
    if (!isStaff(actor)) throw new ForbiddenError('Only staff of a town see its bookings');
    return withActor(this.db, actor, (tx) =>
      bookingRepository.listByTenant(tx, actor.tenantId, from, to, page),
    );
  }

  /** The owner's QR token, derived on demand (nothing stored). */
  async qrToken(actor: Actor, booking: Booking): Promise<string | null> {
    if (actor.accountId !== booking.accountId) return null;
    if (!['held', 'confirmed', 'active'].includes(booking.status)) return null;
    const tenant = await withActor(this.db, actor, (tx) => tenantRepository.findById(tx, booking.tenantId));
    return this.credentials.issueQrToken(booking, tenant?.accessGraceMinutes ?? 0);
  }
}
