import { Registry } from 'prom-client';
import type { DatabaseHandle } from '../services/core/db/connect.ts';
import type { Logger } from '../services/core/logging.ts';
import { type Bridge, startBridge } from './bridge/bridge.ts';
import { createBridgeMetrics } from './bridge/metrics.ts';
import { embeddedPortFromEnv, startEmbeddedBroker } from './embedded-broker.ts';
import { provisionDeviceSecrets } from './provisioning.ts';
import { type SimulatorFleet, startSimulatorFleet } from './simulator/fleet.ts';

export interface EmbeddedBridgeOptions {
  database: DatabaseHandle;
  logger: Logger;
  /** Broker port; default MQTT_EMBEDDED_PORT or 1884; 0 picks a free one. */
  port?: number;
  /** Registers the bridge counters here (e.g. the API's /metrics); default: a private registry. */
  registry?: Registry;
  /** Play every device with the simulator (default true). */
  simulate?: boolean;
}

export interface EmbeddedBridge {
  /** mqtt://127.0.0.1:<port> of the embedded broker, for anything else that wants to connect. */
  mqttUrl: string;
  bridge: Bridge;
  /** The simulated devices, e.g. to switch faults at run time; undefined with simulate: false. */
  simulator: SimulatorFleet | undefined;
  /** Stops simulator, bridge and broker, in that order. Leaves the database open. */
  close(): Promise<void>;
}

/**
 * The device side of `npm start` in one process: aedes, the bridge and a simulator playing
 * every device in the database. Devices without a secret get one first, so every lock can
 * be commanded. On PGlite all of it shares one connection; the bridge keeps its
 * transactions short and never queries inside one except through the transaction.
 */
export async function startEmbeddedBridge(options: EmbeddedBridgeOptions): Promise<EmbeddedBridge> {
  const logger = options.logger.child({ component: 'embedded-bridge' });
  const provisioned = await provisionDeviceSecrets(options.database.db);
  if (provisioned.length > 0) logger.info({ devices: provisioned.length }, 'device secrets provisioned');

  const broker = await startEmbeddedBroker({ port: options.port ?? embeddedPortFromEnv(), logger });
  let bridge: Bridge | undefined;
  let simulator: SimulatorFleet | undefined;
  try {
    bridge = await startBridge({
      database: options.database,
      logger,
      metrics: createBridgeMetrics(options.registry ?? new Registry()),
      mqtt: { url: broker.url, protocolVersion: 4 },
      instanceId: 'embedded',
      shareGroup: undefined,
    });
    if (options.simulate ?? true) {
      simulator = await startSimulatorFleet({
        db: options.database.db,
        url: broker.url,
        logger,
        protocolVersion: 4,
      });
    }
  } catch (err) {
    await simulator?.close().catch(() => {});
    await bridge?.close().catch(() => {});
    await broker.close();
    throw err;
  }
  const started = bridge;
  return {
    mqttUrl: broker.url,
    bridge: started,
    simulator,
    async close() {
      await simulator?.close();
      await started.close();
      await broker.close();
    },
  };
}
