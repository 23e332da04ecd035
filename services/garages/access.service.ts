import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, withActor } from '../core/tenancy.ts';
import { tenantRepository } from '../core/tenant.ts';
import type { AccessCredentials } from './access-credential.ts';
import { bookingRepository } from './booking.repository.ts';
import { spaceRepository } from './space.repository.ts';

export interface AccessDecision {
  granted: boolean;
  bookingId: string | null;
  reason: 'ok' | 'no_matching_booking' | 'invalid_token' | 'wrong_space';
}

/**
 * Decides whether a PIN or QR token opens a space now: only for a confirmed or active
 * booking of that space, inside its period plus the town's grace. Asked by locks and
 * keypads (through the bridge) and by operators on site.
 */
export class AccessService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly credentials: AccessCredentials,
  ) {}

  async verify(actor: Actor, input: { spaceId: string; pin?: string | null; qrToken?: string | null }) {
    if (!isStaff(actor) && actor.role !== 'system')
      throw new ForbiddenError('Only staff and devices check access');
    if (!input.pin === !input.qrToken) throw new ValidationError('Give either a PIN or a QR token', 'pin');
    if (!isUuid(input.spaceId)) throw new NotFoundError('Space not found');
    const now = this.clock.now();
    return withActor(this.db, actor, async (tx): Promise<AccessDecision> => {
      const space = await spaceRepository.findById(tx, input.spaceId);
      if (!space) throw new NotFoundError('Space not found');
      const tenant = await tenantRepository.findById(tx, space.tenantId);
      const grace = tenant?.accessGraceMinutes ?? 0;
      const candidates = await bookingRepository.findAccessCandidates(tx, space.id, now, grace);
      if (input.qrToken) {
        const claims = await this.credentials.verifyQrToken(input.qrToken, now);
        if (!claims) return { granted: false, bookingId: null, reason: 'invalid_token' };
        if (claims.spaceId !== space.id)
          return { granted: false, bookingId: claims.bookingId, reason: 'wrong_space' };
        const match = candidates.find((c) => c.booking.id === claims.bookingId);
        return match
          ? { granted: true, bookingId: match.booking.id, reason: 'ok' }
          : { granted: false, bookingId: claims.bookingId, reason: 'no_matching_booking' };
      }
      const pin = input.pin ?? '';
      const match = candidates.find(
        (c) => c.pinHash && this.credentials.pinMatches(c.booking.id, pin, c.pinHash),
      );
      return match
        ? { granted: true, bookingId: match.booking.id, reason: 'ok' }
        : { granted: false, bookingId: null, reason: 'no_matching_booking' };
    });
  }
}
