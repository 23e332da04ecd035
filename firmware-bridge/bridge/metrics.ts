import { Counter, type Registry } from 'prom-client';

/** Counters of the bridge, registered on the service app's registry (or a private one). */
export function createBridgeMetrics(registry: Registry) {
  const registers = [registry];
  return {
    messagesIn: new Counter({
      name: 'bridge_messages_in_total',
      help: 'MQTT messages received from devices, by topic kind',
      labelNames: ['kind'] as const,
      registers,
    }),
    deadLetters: new Counter({
      name: 'bridge_dead_letters_total',
      help: 'Messages stored as dead letters, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    commandsPublished: new Counter({
      name: 'bridge_commands_published_total',
      help: 'Command publications (first attempts and retries)',
      registers,
    }),
    commandsFinished: new Counter({
      name: 'bridge_commands_finished_total',
      help: 'Commands that reached a final status: acked, rejected, failed, expired',
      labelNames: ['status'] as const,
      registers,
    }),
  };
}

export type BridgeMetrics = ReturnType<typeof createBridgeMetrics>;
