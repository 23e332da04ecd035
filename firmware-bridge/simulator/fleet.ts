import type { Db } from '../../services/core/db/database.ts';
import type { Logger } from '../../services/core/logging.ts';
import { systemActor, withActor } from '../../services/core/tenancy.ts';
import { type DeviceFault, SimulatedDevice, type SimulatedDeviceOptions } from './simulated-device.ts';

export interface FleetOptions {
  db: Db;
  url: string;
  logger: Logger;
  protocolVersion?: 4 | 5;
  /** MQTT password of a device (Mosquitto passwd); none for the embedded broker. */
  passwordFor?: (deviceId: string) => string | undefined;
  device?: Pick<SimulatedDeviceOptions, 'doorCloseDelayMs' | 'slowAckMs' | 'clock'>;
  /** Only these devices (tests); default: every device that has a secret. */
  only?: { tenantId: string; deviceId: string }[];
}

export interface SimulatorFleet {
  readonly devices: SimulatedDevice[];
  get(tenantId: string, deviceId: string): SimulatedDevice | undefined;
  setFault(tenantId: string, deviceId: string, fault: DeviceFault, on?: boolean): boolean;
  close(): Promise<void>;
}

/**
 * One simulated device per device row, each with its own MQTT client. Reads the secrets as
 * swf_bridge: the simulator stands in for firmware that was flashed with them.
 */
export async function startSimulatorFleet(options: FleetOptions): Promise<SimulatorFleet> {
  const rows = await withActor(
    options.db,
    systemActor,
    (tx) =>
      tx
        .selectFrom('device')
        .select(['tenant_id', 'id', 'secret'])
        .where('secret', 'is not', null)
        .orderBy('tenant_id')
        .orderBy('id')
        .execute(),
    { dbRole: 'swf_bridge' },
  );
  const wanted = options.only && new Set(options.only.map((d) => `${d.tenantId}/${d.deviceId}`));
  const devices = rows
    .filter((r) => !wanted || wanted.has(`${r.tenant_id}/${r.id}`))
    .map(
      (r) =>
        new SimulatedDevice({
          url: options.url,
          tenantId: r.tenant_id,
          deviceId: r.id,
          secret: r.secret!,
          password: options.passwordFor?.(r.id),
          protocolVersion: options.protocolVersion ?? 4,
          logger: options.logger,
          ...options.device,
        }),
    );
  // A few at a time: hundreds of simultaneous CONNECTs make a small broker drop some.
  for (let i = 0; i < devices.length; i += 20)
    await Promise.all(devices.slice(i, i + 20).map((d) => d.start()));
  options.logger.info({ devices: devices.length }, 'device simulator started');

  const byKey = new Map(devices.map((d) => [`${d.tenantId}/${d.deviceId}`, d]));
  return {
    devices,
    get: (tenantId, deviceId) => byKey.get(`${tenantId}/${deviceId}`),
    setFault(tenantId, deviceId, fault, on = true) {
      const device = byKey.get(`${tenantId}/${deviceId}`);
      device?.setFault(fault, on);
      return device !== undefined;
    },
    async close() {
      await Promise.all(devices.map((d) => d.stop()));
    },
  };
}
