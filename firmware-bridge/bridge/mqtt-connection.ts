import mqtt, { type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../../services/core/logging.ts';
import { disableNagle } from '../mqtt-nodelay.ts';

export interface RetainedAnnouncement {
  topic: string;
  online: string;
  offline: string;
}

export interface MqttConnectionOptions {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  /** 5 for Mosquitto/EMQX/HiveMQ, 4 (MQTT 3.1.1) for aedes. */
  protocolVersion: 4 | 5;
  /**
   * false keeps the session on the broker: with a fixed client id, QoS 1 messages that arrive
   * while the process restarts are delivered when it is back. MQTT 5 drops a session at
   * disconnect unless it has an expiry interval, hence sessionExpirySeconds.
   */
  clean: boolean;
  sessionExpirySeconds?: number;
  /** Retained availability: `online` on every connect, `offline` as Last Will and on close. */
  availability?: RetainedAnnouncement;
  reconnectPeriodMs?: number;
  connectTimeoutMs?: number;
  logger: Logger;
  /** Each received message; the PUBACK is sent when the promise settles. */
  onMessage?: (topic: string, payload: Buffer) => Promise<void>;
}

export class MqttNotConnectedError extends Error {
  constructor() {
    super('MQTT broker not connected');
    this.name = 'MqttNotConnectedError';
  }
}

/**
 * Owns one MQTT client (after zigbee2mqtt's lib/mqtt.ts): connect, Last Will and online
 * announcement, re-subscription after a reconnect that lost the session, QoS 1 publishing.
 */
export class MqttConnection {
  private client: MqttClient | undefined;
  private readonly subscriptions = new Map<string, 0 | 1>();
  private readonly connectListeners = new Set<() => void>();

  constructor(private readonly options: MqttConnectionOptions) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Resolves on the first CONNACK; afterwards MQTT.js reconnects by itself. */
  async connect(): Promise<void> {
    const o = this.options;
    const clientOptions: IClientOptions = {
      clientId: o.clientId,
      username: o.username,
      password: o.password,
      protocolVersion: o.protocolVersion,
      clean: o.clean,
      keepalive: 30,
      reconnectPeriod: o.reconnectPeriodMs ?? 1000,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      // Re-subscription is ours (see 'connect' below), so it also happens after a session
      // resumed on the broker but lost by a restart of the broker without persistence.
      resubscribe: false,
      ...(o.protocolVersion === 5 &&
        !o.clean && { properties: { sessionExpiryInterval: o.sessionExpirySeconds ?? 300 } }),
      ...(o.availability && {
        will: {
          topic: o.availability.topic,
          payload: Buffer.from(o.availability.offline),
          qos: 1,
          retain: true,
        },
      }),
    };
    // mqtt.connect rather than connectAsync: the message handler must be in place before the
    // CONNACK is processed, or messages queued in a resumed session arrive with nobody
    // listening and are acknowledged all the same.
    const client = disableNagle(mqtt.connect(o.url, clientOptions));
    this.client = client;
    const onMessage = o.onMessage;
    client.handleMessage = (packet, callback) => {
      if (!onMessage || packet.cmd !== 'publish') return callback();
      const payload =
        typeof packet.payload === 'string' ? Buffer.from(packet.payload) : Buffer.from(packet.payload);
      onMessage(packet.topic, payload).then(
        () => callback(),
        (err: unknown) => {
          o.logger.error({ err, topic: packet.topic }, 'message handler failed');
          callback();
        },
      );
    };
    client.on('connect', (connack) => {
      o.logger.info({ clientId: o.clientId, sessionPresent: connack.sessionPresent }, 'mqtt connected');
      if (!connack.sessionPresent) void this.resubscribe();
      if (o.availability) {
        client.publish(o.availability.topic, o.availability.online, { qos: 1, retain: true }, (err) => {
          if (err) o.logger.warn({ err }, 'could not announce online');
        });
      }
      for (const listener of this.connectListeners) listener();
    });
    client.on('close', () => o.logger.debug({ clientId: o.clientId }, 'mqtt connection closed'));
    client.on('offline', () =>
      o.logger.warn({ clientId: o.clientId }, 'mqtt broker unreachable, reconnecting'),
    );
    client.on('error', (err) => o.logger.warn({ err: err.message, clientId: o.clientId }, 'mqtt error'));

    await new Promise<void>((resolve, reject) => {
      const onConnect = () => {
        client.off('error', onError);
        resolve();
      };
      // A refused CONNECT (bad credentials, not authorised) carries a numeric reason code and
      // will not get better by retrying; an unreachable broker might, so MQTT.js keeps trying.
      const onError = (err: Error & { code?: unknown }) => {
        if (typeof err.code !== 'number') return;
        client.off('error', onError);
        client.off('connect', onConnect);
        client.end(true);
        reject(err);
      };
      client.once('connect', onConnect);
      client.on('error', onError);
    });
  }

  /** Called after every (re)connect, e.g. to publish what waited while the broker was away. */
  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  async subscribe(filters: string[], qos: 0 | 1 = 1): Promise<void> {
    for (const f of filters) this.subscriptions.set(f, qos);
    const granted = await this.requireClient().subscribeAsync(filters, { qos });
    const refused = granted.filter((g) => g.qos === 128 || (typeof g.qos === 'number' && g.qos > 2));
    if (refused.length > 0)
      throw new Error(`subscription refused: ${refused.map((g) => g.topic).join(', ')}`);
  }

  async publish(
    topic: string,
    payload: string | Buffer,
    options: { qos: 0 | 1; retain?: boolean; messageExpirySeconds?: number },
  ): Promise<void> {
    const client = this.requireClient();
    if (!client.connected) throw new MqttNotConnectedError();
    const publishOptions: IClientPublishOptions = { qos: options.qos, retain: options.retain ?? false };
    if (this.options.protocolVersion === 5 && options.messageExpirySeconds !== undefined) {
      publishOptions.properties = {
        messageExpiryInterval: Math.max(1, Math.ceil(options.messageExpirySeconds)),
      };
    }
    await client.publishAsync(topic, payload, publishOptions);
  }

  /** Graceful: announce offline (the broker keeps it retained), then disconnect. */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const { availability } = this.options;
    if (availability && client.connected) {
      await Promise.race([
        client
          .publishAsync(availability.topic, availability.offline, { qos: 1, retain: true })
          .catch(() => {}),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
    }
    await client.endAsync();
    this.client = undefined;
  }

  /**
   * Drops the connection without DISCONNECT, as a crash would: the broker publishes the
   * Last Will and keeps the session. For tests of failure handling.
   */
  async kill(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    client.options.reconnectPeriod = 0;
    client.stream.destroy();
    await client.endAsync(true);
  }

  private async resubscribe(): Promise<void> {
    const byQos = new Map<0 | 1, string[]>();
    for (const [filter, qos] of this.subscriptions) byQos.set(qos, [...(byQos.get(qos) ?? []), filter]);
    for (const [qos, filters] of byQos) {
      try {
        await this.requireClient().subscribeAsync(filters, { qos });
      } catch (err) {
        this.options.logger.error({ err, filters }, 'resubscribe failed');
      }
    }
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new MqttNotConnectedError();
    return this.client;
  }
}
