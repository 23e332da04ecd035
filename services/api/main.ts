import { serve } from '@hono/node-server';
import { type EmbeddedBridge, startEmbeddedBridge } from '../../firmware-bridge/embedded.ts';
import { loadConfigOrExit } from '../core/config.ts';
import { survivingDriverTypeFetchFailures } from '../core/db/driver-type-fetch.ts';
import { MigrationFailedError } from '../core/db/migrate.ts';
import { keepIdleConnectionsOpen } from '../core/http/keep-alive.ts';
import { createLogger } from '../core/logging.ts';
import { seedDemoData } from '../garages/demo/seed.ts';
import { type Platform, startPlatform } from './platform.ts';

/**
 * `npm start`. With nothing configured: embedded PostgreSQL (PGlite) in .data/, demo data for
 * the five towns, an embedded MQTT broker with the firmware bridge and a simulator playing
 * every lock, GraphiQL. With DATABASE_URL / MQTT_URL: the real servers (the bridge then runs
 * as its own process, firmware-bridge/main.ts), no demo data unless SEED_DEMO=true.
 */
const config = loadConfigOrExit();

let platform: Platform | undefined;
let devices: EmbeddedBridge | undefined;
let server: ReturnType<typeof serve> | undefined;
let stopping = false;

async function shutdown(signal: string, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  platform?.logger.info({ signal }, 'shutting down');
  server?.close();
  await devices?.close().catch(() => {});
  await platform?.close();
  process.exit(exitCode);
}
// Registered before start-up, so a Ctrl-C during migrations still closes the embedded database.
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// postgres.js may leave a rejection unhandled when PostgreSQL goes away (driver-type-fetch.ts).
survivingDriverTypeFetchFailures(createLogger(config.logLevel, 'api'));

try {
  platform = await startPlatform(config);
} catch (error) {
  if (error instanceof MigrationFailedError) {
    process.stderr.write(
      `Start-up stopped: ${error.message}\nThe database was left as it was before this migration.\n`,
    );
    process.exit(1);
  }
  throw error;
}
const { logger } = platform;

if (config.seedDemo && !stopping) {
  const demo = await seedDemoData(platform.database.db, platform.services);
  process.stdout.write(`\nDemo data: ${demo.sites} garages, ${demo.spaces} spaces in ${demo.towns} towns.\n`);
  process.stdout.write(
    `Mobility stations: ${demo.mobility.stations} with ${demo.mobility.vehicles} shared e-bikes and cargo bikes (GBFS: /gbfs/manifest.json).\n`,
  );
  process.stdout.write('Demo accounts:\n');
  for (const account of demo.accounts) process.stdout.write(`  ${account.role.padEnd(9)} ${account.email}\n`);
  process.stdout.write(`  password: ${demo.password}\n`);
}

if (!config.mqttUrl && !stopping) {
  try {
    devices = await startEmbeddedBridge({
      database: platform.database,
      logger,
      port: config.mqttEmbeddedPort,
    });
    process.stdout.write(`\nEmbedded MQTT broker: ${devices.mqttUrl} (bridge and simulated locks running)\n`);
  } catch (error) {
    process.stderr.write(`Start-up stopped: ${error instanceof Error ? error.message : String(error)}\n`);
    await shutdown('startup-failed', 1);
  }
}

if (!stopping) {
  server = serve({ fetch: platform.app.fetch, port: config.port, hostname: config.host }, (info) => {
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`;
    logger.info({ url, database: platform?.database.kind }, 'api listening');
    process.stdout.write(
      `\nMobilität Südwestfalen: ${url}/  GraphQL: ${url}/graphql  (database: ${platform?.database.kind})\n`,
    );
    if (config.nodeEnv === 'development')
      process.stdout.write(`GraphiQL: open ${url}/graphql in a browser\n`);
    process.stdout.write(`Health: ${url}/healthz  Ready: ${url}/readyz  Metrics: ${url}/metrics\n\n`);
  });
  keepIdleConnectionsOpen(server);
}
