import { createPubSub } from 'graphql-yoga';
import { z } from 'zod';
import type { DatabaseHandle } from '../core/db/connect.ts';
import type { Logger } from '../core/logging.ts';
import type { AvailabilityChange } from './availability.graphql.ts';

const bookingChanged = z.object({
  tenantId: z.string(),
  siteId: z.string(),
  spaceId: z.string(),
  status: z.string(),
});

/**
 * Live availability: the booking trigger sends pg_notify('booking_changed') on commit;
 * every API process listens and fans the change out to its SSE subscribers of that site.
 * Works across processes because PostgreSQL carries the event, not memory.
 */
export class AvailabilityFeed {
  private readonly pubsub = createPubSub<{
    availabilityChanged: [siteId: string, change: AvailabilityChange];
  }>();
  private unlisten: (() => Promise<void>) | undefined;
  private readonly listeners = new Set<(payload: string) => void>();
  private readonly siteListeners = new Set<(siteId: string) => void>();

  constructor(private readonly logger: Logger) {}

  async start(handle: DatabaseHandle): Promise<void> {
    this.unlisten = await handle.listen('booking_changed', (payload) => this.receive(payload));
  }

  /** Extra listeners for the raw event (the booking event worker wakes up on it). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Listeners for the site whose bookings changed (the availability cache forgets its answers). */
  onSiteChange(listener: (siteId: string) => void): void {
    this.siteListeners.add(listener);
  }

  subscribe(siteId: string) {
    return this.pubsub.subscribe('availabilityChanged', siteId);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  private receive(payload: string): void {
    for (const listener of this.listeners) listener(payload);
    let data: z.infer<typeof bookingChanged>;
    try {
      data = bookingChanged.parse(JSON.parse(payload));
    } catch (err) {
      this.logger.warn({ err, payload }, 'ignoring malformed booking_changed notification');
      return;
    }
    for (const listener of this.siteListeners) listener(data.siteId);
    this.pubsub.publish('availabilityChanged', data.siteId, {
      siteId: data.siteId,
      spaceId: data.spaceId,
      status: data.status,
      at: new Date(),
    });
  }
}
