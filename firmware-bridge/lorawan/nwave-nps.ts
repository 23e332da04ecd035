import {
  type BatteryStatus,
  int8,
  type ParkingSensorEvent,
  type PayloadError,
  type PreviousStateDuration,
  type ResetCause,
  tooShort,
  unsupportedPort,
} from './parking-event.ts';
import { err, ok, type Result } from './result.ts';

/**
 * Nwave Smart Parking Sensor G4 (NPS-4.5, firmware 2.4.9), as published in the TTN device
 * repository decoder vendor/nwave/nps405.js and Nwave's "LoRaWAN Parking Sensor – Getting
 * Started" (see fixtures/SOURCES.md):
 * - fPort 1, parking status: byte 0 bit 0 = occupied, bits 7..1 = compressed duration of
 *   the previous state.
 * - fPort 2, heartbeat: byte 0 bit 0 = occupied; byte 1 = battery, 2500 mV + 4 mV × value;
 *   byte 2 = temperature, signed, °C = value / 2 + 10. Further bytes are not documented.
 * - fPort 3, startup: bytes 0..2 firmware major.minor.patch; byte 3 reset cause;
 *   byte 4 bit 0 = occupied.
 * fPort 6 (debug) and 10 (SDI tag registration) are not decoded.
 *
 * Not exposed: the reference decoder reports `hw_health_status = byte0 & 0x7F` on heartbeats,
 * a mask that overlaps the occupancy bit; without a clear definition we leave it out.
 */

const resetCauses: readonly (ResetCause | undefined)[] = [
  'network_rejoin',
  'watchdog',
  'power_on',
  'user_request',
  undefined,
  undefined,
  'brownout',
  'other',
];

/** 0–89 exact; 90–119 in steps of 5; 120–126 in steps of 60; 127 = 660 or more. */
export function decompressDuration(code: number): PreviousStateDuration {
  if (code < 90) return { value: code, maxError: 0, overflow: false };
  if (code < 120) return { value: 90 + (code - 90) * 5, maxError: 4, overflow: false };
  if (code < 127) return { value: 240 + (code - 120) * 60, maxError: 59, overflow: false };
  return { value: 660, maxError: null, overflow: true };
}

/** Nwave judges the battery against lower thresholds in the cold (below −5 °C). */
export function batteryStatus(voltageMv: number, temperatureC: number): BatteryStatus {
  const [critical, low] = temperatureC >= -5 ? [2900, 3000] : [2800, 2900];
  const health = voltageMv >= low ? 'normal' : voltageMv >= critical ? 'low' : 'critical';
  return { voltageMv, health };
}

export function decodeNwaveNps(fPort: number, bytes: Uint8Array): Result<ParkingSensorEvent, PayloadError> {
  switch (fPort) {
    case 1: {
      if (bytes.length < 1) return err(tooShort('nwave-nps', fPort, bytes.length, 1));
      const status = bytes[0]!;
      return ok({
        kind: 'occupancy',
        occupied: (status & 0x01) === 1,
        previousStateDuration: decompressDuration((status >> 1) & 0x7f),
      });
    }
    case 2: {
      if (bytes.length < 3) return err(tooShort('nwave-nps', fPort, bytes.length, 3));
      const temperatureC = int8(bytes[2]!) / 2 + 10;
      return ok({
        kind: 'heartbeat',
        occupied: (bytes[0]! & 0x01) === 1,
        temperatureC,
        battery: batteryStatus(2500 + bytes[1]! * 4, temperatureC),
      });
    }
    case 3: {
      if (bytes.length < 5) return err(tooShort('nwave-nps', fPort, bytes.length, 5));
      const resetCauseCode = bytes[3]!;
      const resetCause = resetCauses[resetCauseCode];
      return ok({
        kind: 'startup',
        occupied: (bytes[4]! & 0x01) === 1,
        firmware: `${bytes[0]}.${bytes[1]}.${bytes[2]}`,
        ...(resetCause === undefined ? {} : { resetCause }),
        resetCauseCode,
      });
    }
    default:
      return err(unsupportedPort('nwave-nps', fPort));
  }
}
