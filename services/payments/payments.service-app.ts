import { sql } from 'kysely';
import { AccessTokens } from '../core/auth/tokens.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import { connectDatabase, type DatabaseHandle } from '../core/db/connect.ts';
import { migrateToLatest } from '../core/db/migrate.ts';
import { createServiceApp } from '../core/http/service-app.ts';
import { createLogger, type Logger } from '../core/logging.ts';
import { resolveSecrets } from '../core/secrets.ts';
import { type PeriodicTask, runPeriodically } from '../core/worker.ts';
import { AccessCredentials } from '../garages/access-credential.ts';
import { BookingService } from '../garages/booking.service.ts';
import { createPaymentsModule, type PaymentsModule } from './payments.module.ts';
import { paymentRoutes } from './payments.routes.ts';

export interface PaymentsServiceOptions {
  clock?: Clock;
  logger?: Logger;
  runWorkers?: boolean;
  database?: DatabaseHandle;
}

export interface PaymentsServiceHandle {
  app: ReturnType<typeof createServiceApp>['app'];
  module: PaymentsModule;
  close(): Promise<void>;
}

/**
 * The payments service on its own (production shape): the Stripe webhook, receipts and the
 * payment jobs, with /healthz, /readyz and /metrics. The API mounts the same routes in the
 * embedded default, so a deployment may point Stripe at either.
 */
export async function startPaymentsService(
  config: Config,
  options: PaymentsServiceOptions = {},
): Promise<PaymentsServiceHandle> {
  const logger = options.logger ?? createLogger(config.logLevel, 'payments');
  const clock = options.clock ?? systemClock;
  const database = options.database ?? (await connectDatabase(config));
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
  const secrets = resolveSecrets(config);
  const module = createPaymentsModule({
    db: database.db,
    clock,
    logger,
    stripe: config.stripe,
    bookings: new BookingService(database.db, clock, new AccessCredentials(secrets.accessCredentialSecret)),
    receiptSecret: secrets.jwtSecret,
  });
  const { app } = createServiceApp({
    name: 'payments',
    logger,
    maxBodyBytes: config.maxBodyBytes,
    checkReady: async () => {
      await sql`select 1`.execute(database.db);
    },
  });
  app.route(
    '/',
    paymentRoutes({
      webhooks: module.webhooks,
      receipts: module.receipts,
      tokens: new AccessTokens(secrets.jwtSecret, config.accessTokenTtlMinutes),
      logger,
    }),
  );
  const tasks: PeriodicTask[] = [];
  if (options.runWorkers ?? true) {
    tasks.push(runPeriodically('payments', config.sweepIntervalMs, logger, () => module.jobs.runOnce()));
  }
  return {
    app,
    module,
    async close() {
      await Promise.all(tasks.map((t) => t.stop()));
      if (!options.database) await database.close();
    },
  };
}
