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
 * The Things Stack v3 JSON uplink (`ApplicationUp` with `uplink_message`), as documented in
 * "Data Formats" of the TTS docs. TTS omits fields holding "", 0 or false, so f_port, f_cnt
 * and frm_payload may be absent and then mean 0 / 0 / empty.
 */
const rxMetadataSchema = z.object({
  rssi: z.number().optional(),
  channel_rssi: z.number().optional(),
  snr: z.number().optional(),
});

const ttsUplinkSchema = z.object({
  end_device_ids: z.object({
    device_id: z.string().min(1),
    application_ids: z.object({ application_id: z.string().min(1) }),
    dev_eui: z.string(),
  }),
  received_at: z.string().optional(),
  uplink_message: z.object({
    f_port: z.number().int().min(0).max(255).optional(),
    f_cnt: z.number().int().min(0).max(0xffff_ffff).optional(),
    frm_payload: z.string().optional(),
    rx_metadata: z.array(rxMetadataSchema).optional(),
    received_at: z.string().optional(),
  }),
});

export function parseTtsUplink(
  payload: Uint8Array | string,
  options: UplinkParseOptions = {},
): Result<LorawanUplink, UplinkError> {
  const parsed = parseEnvelope(payload, ttsUplinkSchema);
  if (!parsed.ok) return parsed;
  const { end_device_ids: ids, uplink_message: up } = parsed.value;

  const core = coreUplinkFields(
    // The Application Server's time first (top level), then the Network Server's.
    { devEui: ids.dev_eui, data: up.frm_payload, time: parsed.value.received_at ?? up.received_at },
    { devEui: 'end_device_ids.dev_eui', data: 'uplink_message.frm_payload', time: 'received_at' },
    options,
  );
  if (!core.ok) return core;
  const { devEui, payload: bytes, receivedAt } = core.value;

  const signal = strongestSignal(
    (up.rx_metadata ?? []).map((m) => ({ rssi: m.rssi ?? m.channel_rssi, snr: m.snr })),
  );
  return ok(
    compact<LorawanUplink>({
      network: 'tts',
      devEui,
      deviceId: ids.device_id,
      applicationId: ids.application_ids.application_id,
      fPort: up.f_port ?? 0,
      fCnt: up.f_cnt ?? 0,
      payload: bytes,
      receivedAt,
      rssi: signal.rssi,
      snr: signal.snr,
    }),
  );
}
