import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { z } from 'zod';
import type { Logger } from '../services/core/logging.ts';

/** Not 1883, so the embedded broker never collides with a Mosquitto on the same machine. */
export const DEFAULT_EMBEDDED_MQTT_PORT = 1884;

export class EmbeddedBrokerPortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `The embedded MQTT broker cannot listen on 127.0.0.1:${port}: the port is in use ` +
        '(another `npm start`, or a broker). Set MQTT_EMBEDDED_PORT to a free port, ' +
        'or MQTT_URL to use the broker that runs there.',
    );
    this.name = 'EmbeddedBrokerPortInUseError';
  }
}

const portSchema = z.coerce.number().int().min(0).max(65535);

/** MQTT_EMBEDDED_PORT, or the default; 0 picks a free port (tests). */
export function embeddedPortFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.MQTT_EMBEDDED_PORT;
  if (raw === undefined || raw === '') return DEFAULT_EMBEDDED_MQTT_PORT;
  const parsed = portSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`MQTT_EMBEDDED_PORT: must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  return parsed.data;
}

export interface EmbeddedBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * aedes in this process, on loopback only: it has no authentication, and nothing but this
 * process's bridge and simulator should reach it. aedes 1.x speaks MQTT 3.1.1 and knows no
 * shared subscriptions, which is why the embedded bridge runs alone and without `$share`.
 */
export async function startEmbeddedBroker(options: {
  port: number;
  logger: Logger;
}): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  aedes.on('clientError', (client, err) =>
    options.logger.debug({ clientId: client.id, err: err.message }, 'embedded broker client error'),
  );
  const server = createServer(aedes.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new EmbeddedBrokerPortInUseError(options.port);
    throw err;
  }
  const port = listeningPort(server);
  options.logger.info({ port }, 'embedded MQTT broker listening');
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listeningPort(server: Server): number {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('embedded broker has no TCP address');
  return address.port;
}
