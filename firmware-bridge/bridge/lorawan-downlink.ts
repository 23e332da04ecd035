import type { CommandAction } from '../contract/payloads.ts';
import { encodeChirpstackDownlink, encodeTtsDownlink, encodeTtsQueueClear } from '../lorawan/downlink.ts';
import { encodeLockCommand, LOCK_FPORT } from '../lorawan/lock-command.ts';
import type { LorawanNetwork } from './lorawan-device.repository.ts';

/** Columns of a lock reached through a LoRaWAN network server (migration 0410). */
export interface LorawanLockColumns {
  lorawan_dev_eui: string | null;
  lorawan_profile: string | null;
  lorawan_network: string | null;
  lorawan_application_id: string | null;
  lorawan_device_id: string | null;
}

export type LorawanLockTarget =
  | { network: 'tts'; applicationId: string; tenantId?: string; deviceId: string }
  | { network: 'chirpstack'; applicationId: string; devEui: string };

/**
 * undefined: not a LoRaWAN lock (an MQTT device, signed commands). A string: a LoRaWAN lock
 * whose row cannot address a downlink, said in words for the command's failed transition.
 */
export function lorawanLockTarget(row: LorawanLockColumns): LorawanLockTarget | string | undefined {
  if (row.lorawan_dev_eui === null || row.lorawan_profile !== 'lock') return undefined;
  const network = row.lorawan_network as LorawanNetwork | null;
  const app = row.lorawan_application_id;
  if (network === null || app === null) return 'LoRaWAN lock without lorawan_network/lorawan_application_id';
  if (network === 'chirpstack') return { network, applicationId: app, devEui: row.lorawan_dev_eui };
  if (row.lorawan_device_id === null) return 'LoRaWAN lock on TTS without lorawan_device_id';
  // TTS Cloud names applications `{app}@{tenant}` in topics; the column holds that level.
  const [applicationId = app, tenantId] = app.split('@');
  return { network, applicationId, ...(tenantId && { tenantId }), deviceId: row.lorawan_device_id };
}

/** QoS: The Things Stack's MQTT server takes QoS 0 only; ChirpStack's broker takes QoS 1. */
export function lorawanDownlink(
  target: LorawanLockTarget,
  command: { id: string; action: CommandAction },
  sequence: number,
): { topic: string; payload: string; qos: 0 | 1 } {
  const bytes = encodeLockCommand({ action: command.action === 'lock' ? 'lock' : 'unlock', sequence });
  const request = { commandId: command.id, fPort: LOCK_FPORT, payload: bytes, confirmed: true };
  if (target.network === 'tts') {
    const { network: _, ...device } = target;
    return { ...encodeTtsDownlink(device, request), qos: 0 };
  }
  return { ...encodeChirpstackDownlink(target, request), qos: 1 };
}

/**
 * What empties the network server's queue of a lock whose command expired: TTS `down/replace`
 * with no downlinks (QoS 0, as TTS takes it). Undefined for ChirpStack, whose MQTT integration
 * cannot flush a queue (see lorawan/README.md).
 */
export function lorawanQueueClear(
  target: LorawanLockTarget,
): { topic: string; payload: string; qos: 0 } | undefined {
  if (target.network !== 'tts') return undefined;
  const { network: _, ...device } = target;
  return { ...encodeTtsQueueClear(device), qos: 0 };
}
