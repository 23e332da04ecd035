import { serve } from '@hono/node-server';
import { loadConfigOrExit } from '../core/config.ts';
import { survivingDriverTypeFetchFailures } from '../core/db/driver-type-fetch.ts';
import { MigrationFailedError } from '../core/db/migrate.ts';
import { createLogger } from '../core/logging.ts';
import { startPaymentsService } from './payments.service-app.ts';

/**
 * `node --import tsx services/payments/main.ts`: the payments service alone on PAYMENTS_PORT
 * (4200). Point the Stripe webhook endpoint at http(s)://<host>:<port>/payments/webhook.
 */
const config = loadConfigOrExit();
// postgres.js may leave a rejection unhandled when PostgreSQL goes away (driver-type-fetch.ts).
survivingDriverTypeFetchFailures(createLogger(config.logLevel, 'payments'));
let service: Awaited<ReturnType<typeof startPaymentsService>>;
try {
  service = await startPaymentsService(config);
} catch (error) {
  if (error instanceof MigrationFailedError) {
    process.stderr.write(`Start-up stopped: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
if (!config.stripe) {
  process.stdout.write(
    'Stripe is not configured (STRIPE_SECRET_KEY): the webhook answers 404, receipts work.\n',
  );
}
const server = serve(
  { fetch: service.app.fetch, port: config.paymentsPort, hostname: config.host },
  (info) => {
    process.stdout.write(`Payments service: http://${config.host}:${info.port}/payments/webhook\n`);
  },
);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close();
  await service.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
