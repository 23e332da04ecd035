import mqtt, { type MqttClient } from 'mqtt';
import { disableNagle } from '../../firmware-bridge/mqtt-nodelay.ts';
import { sleep } from './driver.ts';

/**
 * Pipelined QoS 1 publishers for the bridge bench: one MQTT client per sensor, logged in as
 * that sensor (the project's ACL lets a device write only its own topics), each keeping up to
 * `window` messages in flight and sending the next as soon as a PUBACK frees a slot. A
 * publisher that waits for every PUBACK in turn measures the round trip, not the broker.
 * The same publishers drive the raw broker baseline and the bridge's ingest.
 */
export interface SensorLogin {
  tenantId: string;
  deviceId: string;
  password: string;
}

export interface PublishRun {
  /** Messages the broker acknowledged (PUBACK): what the bridge must account for. */
  acked: number;
  failed: number;
  seconds: number;
}

export const telemetryTopic = (s: { tenantId: string; deviceId: string }) =>
  `swf/${s.tenantId}/${s.deviceId}/telemetry`;

/** The payload of a small occupancy sensor, ~70 bytes, as the simulator sends it. */
export const telemetryPayload = (n: number) =>
  `{"occupied":${n % 2 === 0},"battery":${80 + (n % 20)},"at":"${new Date().toISOString()}"}`;

export async function connectSensors(url: string, sensors: SensorLogin[]): Promise<MqttClient[]> {
  return Promise.all(
    sensors.map(async (s) =>
      disableNagle(
        await mqtt.connectAsync(url, {
          clientId: s.deviceId,
          username: s.deviceId,
          password: s.password,
          protocolVersion: 5,
          clean: true,
          reconnectPeriod: 0,
        }),
      ),
    ),
  );
}

/**
 * Publishes `perClient` messages from every client, at most `window` unacknowledged per
 * client, paced to `ratePerSecond` in all (Infinity: as fast as the broker acknowledges).
 */
export async function publishPipelined(
  clients: MqttClient[],
  sensors: SensorLogin[],
  options: { perClient: number; window: number; ratePerSecond: number },
  /** Updated as PUBACKs arrive, for watching a run in progress. */
  progress: { acked: number; failed: number } = { acked: 0, failed: 0 },
): Promise<PublishRun> {
  const perClientRate = options.ratePerSecond / clients.length;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, c) => {
      const topic = telemetryTopic(sensors[c]!);
      let sent = 0;
      let inFlight = 0;
      let wake: (() => void) | undefined;
      const settle = (err?: Error) => {
        inFlight--;
        if (err) progress.failed++;
        else progress.acked++;
        wake?.();
      };
      // A lost connection leaves its QoS 1 callbacks unanswered: count those as failed.
      let closed = false;
      client.once('close', () => {
        closed = true;
        wake?.();
      });
      while (sent < options.perClient && !closed) {
        const due = Number.isFinite(perClientRate)
          ? Math.min(
              options.perClient,
              Math.floor(((performance.now() - started) / 1000) * perClientRate) + 1,
            )
          : options.perClient;
        while (sent < due && inFlight < options.window) {
          inFlight++;
          client.publish(topic, telemetryPayload(sent++), { qos: 1 }, settle);
        }
        if (sent >= options.perClient) break;
        // Wait for a free slot or for the next message's turn, whichever comes first.
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (inFlight < options.window) setTimeout(resolve, 1);
        });
        wake = undefined;
      }
      while (inFlight > 0 && !closed) await sleep(1);
      if (closed) progress.failed += inFlight + options.perClient - sent;
    }),
  );
  return { acked: progress.acked, failed: progress.failed, seconds: (performance.now() - started) / 1000 };
}

export interface RawBaseline {
  published: PublishRun;
  received: number;
  /** First publication to the last message at the subscriber. */
  seconds: number;
}

/**
 * The broker alone: the pipelined publishers to one QoS 1 subscriber logged in as the bridge,
 * nothing stored. Runs before the bridge starts, so that no bridge session takes a share.
 */
export async function rawBrokerThroughput(
  url: string,
  bridgeLogin: { username: string; password: string },
  sensors: SensorLogin[],
  options: { perClient: number; window: number; drainTimeoutMs: number },
): Promise<RawBaseline> {
  const subscriber = disableNagle(
    await mqtt.connectAsync(url, {
      clientId: 'bench-raw-subscriber',
      ...bridgeLogin,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
    }),
  );
  const total = options.perClient * sensors.length;
  let received = 0;
  let lastAt = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  subscriber.on('message', () => {
    lastAt = performance.now();
    if (++received === total) done();
  });
  await subscriber.subscribeAsync(`swf/${sensors[0]!.tenantId}/+/telemetry`, { qos: 1 });
  const clients = await connectSensors(url, sensors);
  const started = performance.now();
  const published = await publishPipelined(clients, sensors, {
    perClient: options.perClient,
    window: options.window,
    ratePerSecond: Number.POSITIVE_INFINITY,
  });
  await Promise.race([all, sleep(options.drainTimeoutMs)]);
  await Promise.all(clients.map((c) => c.endAsync()));
  await subscriber.endAsync();
  return { published, received, seconds: ((lastAt || performance.now()) - started) / 1000 };
}
