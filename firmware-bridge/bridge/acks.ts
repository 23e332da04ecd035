import type { Tx } from '../../services/core/db/database.ts';
import type { AckPayload, AckResult } from '../contract/payloads.ts';
import type { DeviceKey } from '../contract/topics.ts';
import { commandRepository, type FinalStatus } from './command.repository.ts';
import { ingestRepository, keyOf } from './ingest.repository.ts';

const statusOfResult: Record<AckResult, FinalStatus> = {
  ok: 'acked',
  rejected: 'rejected',
  failed: 'failed',
};

export type AckOutcome =
  | { type: 'applied'; status: FinalStatus }
  | { type: 'stale' }
  | { type: 'unknown_device' };

/**
 * Matches a device's ack to its command. Only an open command (pending or sent) of the same
 * tenant and device changes; a duplicate, late or foreign ack is "stale" and changes nothing.
 */
export async function applyAck(tx: Tx, device: DeviceKey, ack: AckPayload, now: Date): Promise<AckOutcome> {
  const status = statusOfResult[ack.result];
  const changed = await commandRepository.finish(tx, { id: ack.cmdId, ...device }, status, now, ack.state);
  if (changed) {
    await commandRepository.recordTransition(tx, {
      commandId: ack.cmdId,
      tenantId: device.tenantId,
      status,
      at: now,
      detail: ack.reason ?? null,
      deviceState: ack.state,
    });
  }
  // A command that changed names its device (foreign key): only a stale ack needs the lookup.
  if (!changed && !(await ingestRepository.knownDevices(tx, [device])).has(keyOf(device))) {
    return { type: 'unknown_device' };
  }
  // A stale ack proves the device is alive, but its state may be older than what we know.
  await ingestRepository.applyDeviceStates(
    tx,
    [
      {
        ...device,
        online: true,
        seenAt: now,
        doorOpen: null,
        occupied: null,
        batteryPercent: null,
        lockState: changed ? ack.state : null,
      },
    ],
    now,
  );
  return changed ? { type: 'applied', status } : { type: 'stale' };
}
