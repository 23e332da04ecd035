import { serve } from '@hono/node-server';
import { systemClock } from '../core/clock.ts';
import { loadConfigOrExit } from '../core/config.ts';
import { connectDatabase } from '../core/db/connect.ts';
import { survivingDriverTypeFetchFailures } from '../core/db/driver-type-fetch.ts';
import { keepIdleConnectionsOpen } from '../core/http/keep-alive.ts';
import { createLogger } from '../core/logging.ts';
import { tariffTripPricing } from '../payments/trip-tariffs.ts';
import { createOpendataApp } from './opendata-app.ts';

/**
 * The opendata process: `node --import tsx services/opendata/main.ts` with DATABASE_URL, on
 * OPENDATA_PORT (4300). It reads what the API wrote and applies no migrations. In the embedded
 * default (PGlite belongs to one process) the API serves the same routes at :4000/gbfs.
 */
const config = loadConfigOrExit();
const logger = createLogger(config.logLevel, 'opendata');
// postgres.js may leave a rejection unhandled when PostgreSQL goes away (driver-type-fetch.ts).
survivingDriverTypeFetchFailures(logger);
const database = await connectDatabase(config);
const app = createOpendataApp({
  db: database.db,
  clock: systemClock,
  logger,
  pricing: tariffTripPricing(database.db),
  maxBodyBytes: config.maxBodyBytes,
  publicUrl: config.opendataPublicUrl,
  contactEmail: config.gbfsContactEmail,
});
const server = serve({ fetch: app.fetch, port: config.opendataPort, hostname: config.host }, (info) => {
  logger.info({ port: info.port, database: database.kind }, 'opendata listening');
  process.stdout.write(`GBFS: http://${config.host}:${info.port}/gbfs/manifest.json\n`);
});
keepIdleConnectionsOpen(server);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
