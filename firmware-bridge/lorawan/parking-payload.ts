import { decodeBoschPls } from './bosch-pls.ts';
import { decodeNwaveNps } from './nwave-nps.ts';
import type { DeviceProfile, ParkingSensorEvent, PayloadError } from './parking-event.ts';
import type { Result } from './result.ts';

/**
 * Decodes a sensor's FRMPayload by the profile configured for the device. The profile must
 * come from our device registry: the bytes alone do not say which vendor sent them.
 */
export function decodeParkingPayload(
  profile: DeviceProfile,
  fPort: number,
  payload: Uint8Array,
): Result<ParkingSensorEvent, PayloadError> {
  switch (profile) {
    case 'bosch-pls':
      return decodeBoschPls(fPort, payload);
    case 'nwave-nps':
      return decodeNwaveNps(fPort, payload);
  }
}
