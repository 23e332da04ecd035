import {
  int8,
  type ParkingSensorEvent,
  type PayloadError,
  type ResetCause,
  tooShort,
  unsupportedPort,
} from './parking-event.ts';
import { err, ok, type Result } from './result.ts';

/**
 * Bosch Parking Lot Sensor (PLS, TPS110), firmware 0.23.3 and 0.29.2.
 *
 * Layout from Bosch's "Parking Lot Sensor – Communication Interface v0.23.3" and the TTN
 * device repository decoder vendor/bosch/tpl110-0292.js (see fixtures/SOURCES.md):
 * - fPort 1, parking status: byte 0 bit 0 = occupied; bits 7..1 reserved.
 * - fPort 2, heartbeat (every 24 h): byte 0 as fPort 1; firmware 0.29.2 adds byte 1 =
 *   temperature in °C, signed.
 * - fPort 3, start-up (17 bytes): bytes 0..11 three 4-byte debug entries whose first two
 *   bytes hold a 12-bit little-endian code; bytes 12..14 firmware major.minor.patch;
 *   byte 15 reset cause; byte 16 bit 0 = occupied.
 * Trailing bytes are ignored: Bosch states the protocol may be extended.
 */

const resetCauses: Readonly<Record<number, ResetCause>> = {
  1: 'watchdog',
  2: 'power_on',
  // Also what the sensor reports after giving up on unacknowledged uplinks or joins:
  // a hint that gateway coverage is poor.
  3: 'system_request',
  4: 'other',
};

export function decodeBoschPls(fPort: number, bytes: Uint8Array): Result<ParkingSensorEvent, PayloadError> {
  switch (fPort) {
    case 1: {
      if (bytes.length < 1) return err(tooShort('bosch-pls', fPort, bytes.length, 1));
      return ok({ kind: 'occupancy', occupied: (bytes[0]! & 0x01) === 1 });
    }
    case 2: {
      if (bytes.length < 1) return err(tooShort('bosch-pls', fPort, bytes.length, 1));
      const occupied = (bytes[0]! & 0x01) === 1;
      // Firmware 0.23.3 sends one byte; the temperature byte came later.
      return ok(
        bytes.length >= 2
          ? { kind: 'heartbeat', occupied, temperatureC: int8(bytes[1]!) }
          : { kind: 'heartbeat', occupied },
      );
    }
    case 3: {
      if (bytes.length < 17) return err(tooShort('bosch-pls', fPort, bytes.length, 17));
      const debugCodes: number[] = [];
      for (let i = 0; i <= 8; i += 4) {
        const code = ((bytes[i + 1]! & 0x0f) << 8) | bytes[i]!;
        if (code !== 0) debugCodes.push(code);
      }
      const resetCauseCode = bytes[15]!;
      const resetCause = resetCauses[resetCauseCode];
      return ok({
        kind: 'startup',
        occupied: (bytes[16]! & 0x01) === 1,
        firmware: `${bytes[12]}.${bytes[13]}.${bytes[14]}`,
        ...(resetCause === undefined ? {} : { resetCause }),
        resetCauseCode,
        debugCodes,
      });
    }
    default:
      // 4 (device information), 5 (device usage) and 6 (debug) carry no parking state.
      return err(unsupportedPort('bosch-pls', fPort));
  }
}
