import type { Db } from '../core/db/database.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { LIVE_STATUSES } from './booking.ts';
import type { WaitlistService } from './waitlist.service.ts';

export const EVENT_BATCH_SIZE = 100;

/**
 * Drains the booking_event outbox (filled by a trigger on every status change): a booking
 * that stops occupying its space releases it to the waitlist. Events are locked with SKIP
 * LOCKED and marked processed in the same transaction, so each is handled exactly once
 * even with several workers.
 */
export async function processBookingEvents(db: Db, waitlist: WaitlistService): Promise<number> {
  return withActor(db, systemActor, async (tx) => {
    const events = await tx
      .selectFrom('booking_event')
      .selectAll()
      .where('processed_at', 'is', null)
      .orderBy('id')
      .limit(EVENT_BATCH_SIZE)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const event of events) {
      const wasLive = event.old_status !== null && LIVE_STATUSES.includes(event.old_status as never);
      const isLive = LIVE_STATUSES.includes(event.new_status as never);
      if (wasLive && !isLive && event.new_status !== 'completed') {
        await waitlist.releaseFreedSpace(tx, {
          tenantId: event.tenant_id,
          siteId: event.site_id,
          spaceId: event.space_id,
          from: event.starts_at,
          to: event.ends_at,
        });
      }
    }
    if (events.length > 0) {
      await tx
        .updateTable('booking_event')
        .set({ processed_at: new Date() })
        .where(
          'id',
          'in',
          events.map((e) => e.id),
        )
        .execute();
    }
    return events.length;
  });
}

/**
 * Batches until the outbox is empty: the worker runs at most every tenth of a second
 * (platform.ts), and at 7:00 more than a batch arrives in that time. One batch per run fell
 * behind and caught up later, in the middle of the next load.
 */
export async function drainBookingEvents(db: Db, waitlist: WaitlistService): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await processBookingEvents(db, waitlist);
    total += handled;
    if (handled < EVENT_BATCH_SIZE) return total;
  }
}
