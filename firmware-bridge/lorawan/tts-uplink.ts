import { z } from 'zod';
import { decodeBase64, normalizeEui, parseTimestamp } from './encoding.ts';
import {
  compact,
  fromZodError,
  type LorawanUplink,
  parseJson,
  strongestSignal,
  type UplinkError,
  type UplinkParseOptions,
} from './envelope.ts';
import { err, ok, type Result } from './result.ts';

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
  const json = parseJson(payload);
  if (!json.ok) return json;
  const parsed = ttsUplinkSchema.safeParse(json.value);
  if (!parsed.success) return err(fromZodError(parsed.error, json.value));
  const { end_device_ids: ids, uplink_message: up } = parsed.data;

  const devEui = normalizeEui(ids.dev_eui);
  if (devEui === undefined) {
    return err({
      reason: 'bad_dev_eui',
      message: 'dev_eui is not 16 hex digits',
      path: 'end_device_ids.dev_eui',
    });
  }
  const bytes = decodeBase64(up.frm_payload ?? '');
  if (bytes === undefined) {
    return err({
      reason: 'bad_base64',
      message: 'frm_payload is not base64',
      path: 'uplink_message.frm_payload',
    });
  }
  // The Application Server's time first (top level), then the Network Server's.
  const stamp = parsed.data.received_at ?? up.received_at;
  let receivedAt = options.receivedAtFallback;
  if (stamp !== undefined) {
    receivedAt = parseTimestamp(stamp);
    if (receivedAt === undefined) {
      return err({
        reason: 'bad_timestamp',
        message: `received_at is not RFC 3339: ${stamp}`,
        path: 'received_at',
      });
    }
  }
  if (receivedAt === undefined) {
    return err({ reason: 'missing_field', message: 'Missing field received_at', path: 'received_at' });
  }

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
