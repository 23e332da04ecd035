import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import { createServiceApp } from '../core/http/service-app.ts';
import type { Logger } from '../core/logging.ts';
import type { TripPricing } from '../stations/trip-pricing.ts';
import { createGbfsRoutes } from './gbfs.routes.ts';

export interface OpendataAppOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  pricing: TripPricing;
  maxBodyBytes: number;
  publicUrl?: string | undefined;
  contactEmail: string;
}

/**
 * The public open-data service: GBFS at /gbfs plus /healthz, /readyz and /metrics. Read-only
 * and stateless, so it scales by running more copies; it never writes to the database.
 */
export function createOpendataApp(options: OpendataAppOptions) {
  const { app } = createServiceApp({
    name: 'opendata',
    logger: options.logger,
    maxBodyBytes: options.maxBodyBytes,
    checkReady: async () => {
      await sql`select 1`.execute(options.db);
    },
  });
  app.route('/gbfs', createGbfsRoutes(options));
  return app;
}
