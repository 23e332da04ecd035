import { serve } from '@hono/node-server';
import { ConfigError } from '../services/core/config.ts';
import { connectDatabase } from '../services/core/db/connect.ts';
import { survivingDriverTypeFetchFailures } from '../services/core/db/driver-type-fetch.ts';
import { createServiceApp } from '../services/core/http/service-app.ts';
import { createLogger } from '../services/core/logging.ts';
import { type Bridge, startBridge } from './bridge/bridge.ts';
import { createBridgeMetrics } from './bridge/metrics.ts';
import { type BridgeConfig, loadBridgeConfig } from './config.ts';

/**
 * The firmware bridge process: `node --import tsx firmware-bridge/main.ts` with DATABASE_URL
 * and MQTT_URL. Serves /healthz, /readyz (broker connected and database answering) and
 * /metrics on BRIDGE_PORT from the start, so an orchestrator sees "not ready" while the
 * broker is still away.
 */
let config: BridgeConfig;
try {
  config = loadBridgeConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.logLevel, 'firmware-bridge');
// postgres.js may leave a rejection unhandled when PostgreSQL goes away (driver-type-fetch.ts).
survivingDriverTypeFetchFailures(logger);
const database = await connectDatabase({
  databaseUrl: config.databaseUrl,
  poolSize: config.databasePoolSize,
});
let bridge: Bridge | undefined;

const { app, metrics } = createServiceApp({
  name: 'firmware-bridge',
  logger,
  maxBodyBytes: 10_000,
  checkReady: async () => {
    if (!bridge) throw new Error('bridge starting: MQTT broker not connected yet');
    await bridge.checkReady();
  },
});
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) =>
  logger.info({ port: info.port, instanceId: config.instanceId }, 'firmware bridge listening'),
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  await bridge?.close().catch((err: unknown) => logger.error({ err }, 'bridge did not close cleanly'));
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  bridge = await startBridge({
    database,
    logger,
    metrics: createBridgeMetrics(metrics.registry),
    mqtt: {
      url: config.mqttUrl,
      username: config.mqttUsername,
      password: config.mqttPassword,
      protocolVersion: config.mqttProtocolVersion,
      sessionExpirySeconds: config.sessionExpirySeconds,
    },
    instanceId: config.instanceId,
    shareGroup: config.shareGroup,
    lorawan: config.lorawan,
    outbox: {
      pollIntervalMs: config.pollIntervalMs,
      retryBaseMs: config.retryBaseMs,
      retryMaxMs: config.retryMaxMs,
    },
  });
} catch (err) {
  // A refused CONNECT (bad credentials) will not get better by waiting.
  logger.fatal({ err }, 'could not start the bridge');
  server.close();
  await database.close();
  process.exit(1);
}
