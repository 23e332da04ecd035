import { z } from 'zod';

/**
 * Normalised events of LoRaWAN parking/occupancy sensors. Every vendor format maps onto these
 * three kinds; vendor extras are optional fields, so a consumer can handle any sensor by
 * looking at `kind` and `occupied` alone.
 */

export const deviceProfileSchema = z.enum(['bosch-pls', 'nwave-nps']);
/** Which payload format a sensor speaks; configured per device, never guessed from bytes. */
export type DeviceProfile = z.infer<typeof deviceProfileSchema>;

export type ResetCause =
  | 'watchdog'
  | 'power_on'
  | 'system_request'
  | 'user_request'
  | 'brownout'
  | 'network_rejoin'
  | 'other';

export interface BatteryStatus {
  /** Measured battery voltage in millivolts. */
  voltageMv: number;
  /** The vendor's own judgement of that voltage (Nwave: temperature-dependent thresholds). */
  health: 'normal' | 'low' | 'critical';
}

/**
 * How long the space was in its previous state (Nwave sends it with each change, compressed
 * into 7 bits). The unit is whatever Nwave uses; the reference decoder does not name it.
 */
export interface PreviousStateDuration {
  value: number;
  /** Quantisation error bound of `value`; null when the duration overflowed the encoding. */
  maxError: number | null;
  /** True when the previous state lasted at least `value`, which is the encoding's maximum. */
  overflow: boolean;
}

/** fPort 1: the space changed state. */
export interface OccupancyEvent {
  kind: 'occupancy';
  occupied: boolean;
  previousStateDuration?: PreviousStateDuration;
}

/** fPort 2: periodic sign of life (every 24 h on both vendors), repeats the current state. */
export interface HeartbeatEvent {
  kind: 'heartbeat';
  occupied: boolean;
  temperatureC?: number;
  battery?: BatteryStatus;
}

/** fPort 3: sent after every (re)join or reboot. */
export interface StartupEvent {
  kind: 'startup';
  occupied: boolean;
  /** "major.minor.patch" as the device reports it. */
  firmware: string;
  /** Absent when the code is not in the vendor's table; see `resetCauseCode`. */
  resetCause?: ResetCause;
  resetCauseCode: number;
  /** Bosch only: non-zero debug codes from the start-up message, for vendor support. */
  debugCodes?: number[];
}

export type ParkingSensorEvent = OccupancyEvent | HeartbeatEvent | StartupEvent;

export type PayloadError =
  | { reason: 'unsupported_fport'; fPort: number; message: string }
  | { reason: 'bad_length'; fPort: number; length: number; minLength: number; message: string };

export function unsupportedPort(profile: DeviceProfile, fPort: number): PayloadError {
  return {
    reason: 'unsupported_fport',
    fPort,
    message: `${profile} sends nothing we decode on fPort ${fPort}`,
  };
}

export function tooShort(
  profile: DeviceProfile,
  fPort: number,
  length: number,
  minLength: number,
): PayloadError {
  return {
    reason: 'bad_length',
    fPort,
    length,
    minLength,
    message: `${profile} fPort ${fPort} needs at least ${minLength} bytes, got ${length}`,
  };
}

/** Two's-complement byte, as both vendors encode temperatures. */
export function int8(byte: number): number {
  return byte & 0x80 ? byte - 0x100 : byte;
}
