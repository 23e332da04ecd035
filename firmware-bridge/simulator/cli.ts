import { createInterface } from 'node:readline';
import { z } from 'zod';
import { connectDatabase } from '../../services/core/db/connect.ts';
import { createLogger } from '../../services/core/logging.ts';
import { startSimulatorFleet } from './fleet.ts';
import { DEVICE_FAULTS } from './simulated-device.ts';

/**
 * Plays every device of the database against a broker:
 *   MQTT_URL=mqtt://localhost:1883 DATABASE_URL=postgres://… node --import tsx firmware-bridge/simulator/cli.ts
 * Devices log in as username = client id = device id; SIM_DEVICE_PASSWORD is the MQTT password
 * of every device (development brokers only). Faults are switched on standard input:
 *   fault <deviceId> <no_answer|jammed|slow|low_battery> [on|off]
 *   list
 */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const EnvSchema = z.object({
  MQTT_URL: z.preprocess(emptyAsUnset, z.string({ error: 'required' }).regex(/^(mqtts?|wss?):\/\//)),
  DATABASE_URL: z.preprocess(emptyAsUnset, z.string({ error: 'required' }).regex(/^postgres(ql)?:\/\//)),
  SIM_DEVICE_PASSWORD: z.preprocess(emptyAsUnset, z.string().optional()),
  MQTT_PROTOCOL_VERSION: z.preprocess(emptyAsUnset, z.enum(['4', '5']).default('5')),
  SIM_DOOR_CLOSE_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).default(5000)),
  SIM_SLOW_ACK_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).default(3000)),
  LOG_LEVEL: z.preprocess(emptyAsUnset, z.string().default('info')),
});

const parsed = EnvSchema.safeParse(process.env);
if (!parsed.success) {
  process.stderr.write(
    `Invalid configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}\n`,
  );
  process.exit(1);
}
const env = parsed.data;
const logger = createLogger(env.LOG_LEVEL, 'device-simulator');
const database = await connectDatabase({ databaseUrl: env.DATABASE_URL, poolSize: 2 });
const fleet = await startSimulatorFleet({
  db: database.db,
  url: env.MQTT_URL,
  logger,
  protocolVersion: env.MQTT_PROTOCOL_VERSION === '4' ? 4 : 5,
  passwordFor: () => env.SIM_DEVICE_PASSWORD,
  device: { doorCloseDelayMs: env.SIM_DOOR_CLOSE_MS, slowAckMs: env.SIM_SLOW_ACK_MS },
});
// The fleet has what it needs (the secrets); the database is not used any more.
await database.close();
process.stdout.write(`Simulating ${fleet.devices.length} devices on ${env.MQTT_URL}. Type "help".\n`);

const faultSchema = z.enum(DEVICE_FAULTS);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, deviceId, fault, onOff] = line.trim().split(/\s+/);
  if (command === 'list') {
    for (const d of fleet.devices) {
      const faults = DEVICE_FAULTS.filter((f) => d.hasFault(f));
      process.stdout.write(
        `${d.tenantId}/${d.deviceId} ${d.state} door=${d.doorOpen ? 'open' : 'closed'} faults=${faults.join(',') || '-'}\n`,
      );
    }
  } else if (command === 'fault' && deviceId && faultSchema.safeParse(fault).success) {
    const device = fleet.devices.find((d) => d.deviceId === deviceId);
    if (!device) process.stdout.write(`no such device: ${deviceId}\n`);
    else {
      device.setFault(faultSchema.parse(fault), onOff !== 'off');
      process.stdout.write(`${deviceId}: ${fault} ${onOff === 'off' ? 'off' : 'on'}\n`);
    }
  } else if (command) {
    process.stdout.write(`commands: list | fault <deviceId> <${DEVICE_FAULTS.join('|')}> [on|off]\n`);
  }
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  lines.close();
  await fleet.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
