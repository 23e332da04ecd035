import type { Socket } from 'node:net';
import type { MqttClient } from 'mqtt';

/**
 * Switches Nagle's algorithm off on every (re)connection of an MQTT.js client. MQTT.js opens
 * plain TCP sockets with Nagle on: a small packet written while an earlier one is still
 * unacknowledged (a PUBACK followed by the ack it answers with, a command right after the
 * previous one) waits for the peer's delayed ACK, up to 40 ms on Linux, on every hop.
 * MQTT packets are whole writes already (MQTT.js corks the socket per packet).
 */
export function disableNagle(client: MqttClient): MqttClient {
  const apply = () => (client.stream as Partial<Socket> | undefined)?.setNoDelay?.(true);
  apply();
  client.on('connect', apply);
  return client;
}
