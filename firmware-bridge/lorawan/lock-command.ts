import { err, ok, type Result } from './result.ts';

/**
 * Our own downlink format for LoRaWAN bike-box locks (documented in README.md):
 * fPort 10, 5 bytes: byte 0 = action (0x01 unlock, 0x02 lock), bytes 1..4 = command
 * sequence, unsigned 32-bit big-endian.
 *
 * No signature or expiry as on MQTT locks: LoRaWAN already authenticates and encrypts every
 * downlink with the session keys and rejects replayed frame counters. The sequence lets the
 * lock carry out each command once although the network server may deliver it again.
 */
export const LOCK_FPORT = 10;
export const LOCK_COMMAND_LENGTH = 5;

export type LockAction = 'unlock' | 'lock';

export interface LockCommand {
  action: LockAction;
  /** Per-lock, strictly increasing, 0 … 2^32−1. */
  sequence: number;
}

const actionCodes: Readonly<Record<LockAction, number>> = { unlock: 0x01, lock: 0x02 };

/** Throws RangeError for a sequence outside uint32: that is a bug on our side, not input. */
export function encodeLockCommand(command: LockCommand): Buffer {
  if (!Number.isInteger(command.sequence) || command.sequence < 0 || command.sequence > 0xffff_ffff) {
    throw new RangeError(`Lock command sequence must be a uint32, got ${command.sequence}`);
  }
  const bytes = Buffer.alloc(LOCK_COMMAND_LENGTH);
  bytes.writeUInt8(actionCodes[command.action], 0);
  bytes.writeUInt32BE(command.sequence, 1);
  return bytes;
}

export type LockCommandError = { reason: 'bad_length' | 'unknown_action'; message: string };

/** The lock's side, for the device simulator and tests. */
export function decodeLockCommand(bytes: Uint8Array): Result<LockCommand, LockCommandError> {
  if (bytes.length !== LOCK_COMMAND_LENGTH) {
    return err({ reason: 'bad_length', message: `Lock command has 5 bytes, got ${bytes.length}` });
  }
  const buffer = Buffer.from(bytes);
  const code = buffer.readUInt8(0);
  const action = code === 0x01 ? 'unlock' : code === 0x02 ? 'lock' : undefined;
  if (action === undefined) {
    return err({ reason: 'unknown_action', message: `Unknown lock action 0x${code.toString(16)}` });
  }
  return ok({ action, sequence: buffer.readUInt32BE(1) });
}
