import { createPubSub } from 'graphql-yoga';
import { z } from 'zod';
import type { DatabaseHandle } from '../core/db/connect.ts';
import type { Logger } from '../core/logging.ts';

const stationChanged = z.object({ tenantId: z.string(), stationId: z.string() });

export interface StationChange {
  stationId: string;
  at: Date;
}

/**
 * Live station pages: triggers on vehicle and vehicle_reservation send
 * pg_notify('station_changed') on commit; every API process listens and tells its SSE
 * subscribers of that station to look again. Bike boxes at the station announce themselves
 * through availabilityChanged (garages).
 */
export class StationFeed {
  private readonly pubsub = createPubSub<{ stationChanged: [stationId: string, change: StationChange] }>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly logger: Logger) {}

  async start(handle: DatabaseHandle): Promise<void> {
    this.unlisten = await handle.listen('station_changed', (payload) => this.receive(payload));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  subscribe(stationId: string) {
    return this.pubsub.subscribe('stationChanged', stationId);
  }

  private receive(payload: string): void {
    let data: z.infer<typeof stationChanged>;
    try {
      data = stationChanged.parse(JSON.parse(payload));
    } catch (err) {
      this.logger.warn({ err, payload }, 'ignoring malformed station_changed notification');
      return;
    }
    this.pubsub.publish('stationChanged', data.stationId, { stationId: data.stationId, at: new Date() });
  }
}
