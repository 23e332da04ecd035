import { z } from 'zod';
import {
  compact,
  coreUplinkFields,
  type LorawanUplink,
  parseEnvelope,
  strongestSignal,
  type UplinkError,
  type UplinkParseOptions,
} from './envelope.ts';
import { ok, type Result } from './result.ts';

/**
 * ChirpStack v4 `UplinkEvent` in the protobuf JSON mapping (MQTT integration, `json = true`).
 * The mapping leaves out default values: no `fCnt` when it is 0, no `fPort`/`data` on a
 * MAC-only frame, no `rssi`/`snr` when 0.
 */
const chirpstackUplinkSchema = z.object({
  time: z.string().optional(),
  deviceInfo: z.object({
    devEui: z.string(),
    deviceName: z.string().optional(),
    applicationId: z.string().optional(),
  }),
  fPort: z.number().int().min(0).max(255).optional(),
  fCnt: z.number().int().min(0).max(0xffff_ffff).optional(),
  data: z.string().optional(),
  rxInfo: z.array(z.object({ rssi: z.number().optional(), snr: z.number().optional() })).optional(),
});

export function parseChirpstackUplink(
  payload: Uint8Array | string,
  options: UplinkParseOptions = {},
): Result<LorawanUplink, UplinkError> {
  const parsed = parseEnvelope(payload, chirpstackUplinkSchema);
  if (!parsed.ok) return parsed;
  const event = parsed.value;

  const core = coreUplinkFields(
    { devEui: event.deviceInfo.devEui, data: event.data, time: event.time },
    { devEui: 'deviceInfo.devEui', data: 'data', time: 'time' },
    options,
  );
  if (!core.ok) return core;
  const { devEui, payload: bytes, receivedAt } = core.value;

  const signal = strongestSignal(event.rxInfo ?? []);
  return ok(
    compact<LorawanUplink>({
      network: 'chirpstack',
      devEui,
      deviceName: event.deviceInfo.deviceName,
      applicationId: event.deviceInfo.applicationId,
      fPort: event.fPort ?? 0,
      fCnt: event.fCnt ?? 0,
      payload: bytes,
      receivedAt,
      rssi: signal.rssi,
      snr: signal.snr,
    }),
  );
}
