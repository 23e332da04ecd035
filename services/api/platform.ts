import { sql } from 'kysely';
import { Gauge } from 'prom-client';
import { type Clock, systemClock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import { connectDatabase, type DatabaseHandle } from '../core/db/connect.ts';
import { migrateToLatest } from '../core/db/migrate.ts';
import { readDeclaredBody } from '../core/http/declared-body.ts';
import { createServiceApp } from '../core/http/service-app.ts';
import { createLogger, type Logger } from '../core/logging.ts';
import { resolveSecrets } from '../core/secrets.ts';
import { type PeriodicTask, runPeriodically } from '../core/worker.ts';
import { reconcileOccupancy } from '../devices/occupancy-reconciliation.ts';
import { AvailabilityCache } from '../garages/availability-cache.ts';
import { drainBookingEvents, processBookingEvents } from '../garages/booking-events.ts';
import { sweepBookings } from '../garages/booking-lifecycle.ts';
import { Mailer } from '../notifications/mailer.ts';
import { createGbfsRoutes } from '../opendata/gbfs.routes.ts';
import { paymentRoutes } from '../payments/payments.routes.ts';
import { sweepStations } from '../stations/station-lifecycle.ts';
import { mountWebApp } from '../web/serve.ts';
import { createGraphQLServer } from './graphql/yoga.ts';
import { clientAddress } from './rate-limit.plugin.ts';
import { createServices, type Services } from './services.ts';

/** How long the booking event worker gathers wake-ups (booking_changed notifications) into one run. */
export const BOOKING_EVENTS_WAKE_DELAY_MS = 100;

export interface PlatformOptions {
  clock?: Clock;
  logger?: Logger;
  /** Tests drive the workers by hand; processes run them on timers. */
  runWorkers?: boolean;
  /** An open database (tests share one); otherwise connect from config. */
  database?: DatabaseHandle;
}

export interface Platform {
  app: ReturnType<typeof createServiceApp>['app'];
  services: Services;
  database: DatabaseHandle;
  logger: Logger;
  mailer: Mailer;
  /** Repeated availability answers from memory (services/garages/availability-cache.ts). */
  availabilityCache: AvailabilityCache;
  /** Runs every background step once (sweep, booking events, mail): for tests and the CLI. */
  runBackgroundOnce(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API process: connects the database, applies migrations (a failure stops start-up),
 * wires the services, mounts GraphQL on a service app and starts the background workers.
 */
export async function startPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const logger = options.logger ?? createLogger(config.logLevel, 'api');
  const clock = options.clock ?? systemClock;
  const database = options.database ?? (await connectDatabase(config));
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
  const services = createServices(database.db, clock, resolveSecrets(config), logger, {
    tokenTtlMinutes: config.accessTokenTtlMinutes,
    lockCommandTimeoutMs: config.lockCommandTimeoutMs,
    stripe: config.stripe,
  });
  const mailer = new Mailer(database.db, clock, logger, config.smtpUrl, config.mailFrom);
  await services.availabilityFeed.start(database);
  await services.commandResults.start(database);
  await services.devices.start(database);
  await services.stationFeed.start(database);

  const availabilityCache = new AvailabilityCache({
    ttlMs: config.availabilityCacheMs,
    now: () => clock.now().getTime(),
  });
  services.availabilityFeed.onSiteChange((siteId) => availabilityCache.invalidateSite(siteId));

  const { app, metrics } = createServiceApp({
    name: 'api',
    logger,
    maxBodyBytes: config.maxBodyBytes,
    checkReady: async () => {
      await sql`select 1`.execute(database.db);
    },
  });
  const yoga = createGraphQLServer({
    services,
    logger,
    maxDepth: config.graphqlMaxDepth,
    maxCost: config.graphqlMaxCost,
    graphiql: config.nodeEnv === 'development',
    rateLimit: config.rateLimit,
    availabilityCache,
  });
  new Gauge({
    name: 'availability_cache_answers',
    help: 'Availability queries since start: answered from memory (hit), by a computation under way for another request (shared), computed (miss)',
    labelNames: ['result'] as const,
    registers: [metrics.registry],
    collect() {
      for (const [result, count] of Object.entries(availabilityCache.answers)) this.set({ result }, count);
    },
  });
  app.on(['GET', 'POST'], '/graphql', async (c) => {
    const context = {
      requestId: c.get('requestId'),
      clientIp: clientAddress(c.req, c.env, config.rateLimit.trustProxy),
    };
    const body = await readDeclaredBody(c);
    return body === undefined
      ? yoga.fetch(c.req.raw, context)
      : yoga.fetch(c.req.url, { method: 'POST', headers: c.req.raw.headers, body }, context);
  });
  // Public GBFS feeds; services/opendata/main.ts serves the same routes as its own process.
  if (config.opendataInApi) {
    app.route(
      '/gbfs',
      createGbfsRoutes({
        db: database.db,
        clock,
        pricing: services.tripPricing,
        publicUrl: config.opendataPublicUrl,
        contactEmail: config.gbfsContactEmail,
      }),
    );
  }
  // Stripe webhook and receipts; the payments service (services/payments/main.ts) serves the same routes.
  app.route(
    '/',
    paymentRoutes({
      webhooks: services.paymentWebhooks,
      receipts: services.receipts,
      tokens: services.tokens,
      logger,
    }),
  );
  // The browser app at `/`; it passes on every path that is not its own. Keep other GET routes above.
  mountWebApp(app, {
    distDir: config.webDistDir,
    mapTileUrl: config.mapTileUrl,
    mapAttribution: config.mapAttribution,
  });

  const runBackgroundOnce = async () => {
    await sweepBookings(database.db, clock);
    await sweepStations(database.db, clock);
    await reconcileOccupancy(database.db, clock);
    await services.paymentJobs.runOnce();
    await processBookingEvents(database.db, services.waitlist);
    await mailer.deliverPending();
  };

  const tasks: PeriodicTask[] = [];
  if (options.runWorkers ?? true) {
    tasks.push(
      runPeriodically('booking-sweep', config.sweepIntervalMs, logger, () =>
        sweepBookings(database.db, clock),
      ),
    );
    tasks.push(
      runPeriodically('stations', config.sweepIntervalMs, logger, () => sweepStations(database.db, clock)),
    );
    // Woken by every booking change, but run at most every BOOKING_EVENTS_WAKE_DELAY_MS: one run
    // per event cost more CPU than the booking itself at 7:00 (BENCHMARKS.md); a freed space
    // reaches the waitlist a tenth of a second later.
    const events = runPeriodically(
      'booking-events',
      config.sweepIntervalMs,
      logger,
      () => drainBookingEvents(database.db, services.waitlist),
      { wakeDelayMs: BOOKING_EVENTS_WAKE_DELAY_MS },
    );
    services.availabilityFeed.onChange(() => events.wake());
    tasks.push(events);
    tasks.push(
      runPeriodically('occupancy', config.sweepIntervalMs, logger, () =>
        reconcileOccupancy(database.db, clock),
      ),
    );
    tasks.push(
      runPeriodically('payments', config.sweepIntervalMs, logger, () => services.paymentJobs.runOnce()),
    );
    tasks.push(runPeriodically('mailer', config.sweepIntervalMs, logger, () => mailer.deliverPending()));
  }

  return {
    app,
    services,
    database,
    logger,
    mailer,
    availabilityCache,
    runBackgroundOnce,
    async close() {
      await Promise.all(tasks.map((t) => t.stop()));
      await services.availabilityFeed.stop();
      await services.commandResults.stop();
      await services.devices.stop();
      await services.stationFeed.stop();
      if (!options.database) await database.close();
    },
  };
}
