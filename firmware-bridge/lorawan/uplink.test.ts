import { describe, expect, it } from 'vitest';
import { parseChirpstackUplink } from './chirpstack-uplink.ts';
import { fixtureBytes, fixtureJson } from './fixtures.ts';
import { parseTtsUplink } from './tts-uplink.ts';
import { parseUplinkMessage } from './uplink.ts';

const csApp = '17c82e96-be03-4f38-aef3-f83d48582d97';

/** A fixture as an object, changed by `edit`, back to bytes. */
function edited(name: string, edit: (message: Record<string, any>) => void): string {
  const message = fixtureJson(name) as Record<string, any>;
  edit(message);
  return JSON.stringify(message);
}

describe('The Things Stack uplinks', () => {
  it('parses the TTS docs example (no f_port there: a MAC-only frame)', () => {
    expect(parseTtsUplink(fixtureBytes('tts/uplink.docs-data-formats.json'))).toEqual({
      ok: true,
      value: {
        network: 'tts',
        devEui: '0004a30b001c0530',
        deviceId: 'dev1',
        applicationId: 'app1',
        fPort: 0,
        fCnt: 1,
        payload: Buffer.from([0x82, 0x41, 0xde]),
        receivedAt: new Date('2020-02-12T15:15:46.014Z'),
        rssi: -35,
        snr: 5,
      },
    });
  });

  it('parses the TTS MQTT docs example, which has no timestamp, only with a fallback', () => {
    const payload = fixtureBytes('tts/uplink.docs-mqtt.json');
    expect(parseTtsUplink(payload)).toEqual({
      ok: false,
      error: { reason: 'missing_field', message: 'Missing field received_at', path: 'received_at' },
    });
    const now = new Date('2026-05-01T08:00:00Z');
    expect(parseTtsUplink(payload, { receivedAtFallback: now })).toMatchObject({
      ok: true,
      value: { devEui: '4200000000000000', fPort: 15, fCnt: 0, receivedAt: now, rssi: -35, snr: 5 },
    });
    const result = parseTtsUplink(payload, { receivedAtFallback: now });
    expect(result.ok && result.value.payload.toString()).toBe('Temperature = 0.0');
  });

  it('picks the strongest gateway and defaults an omitted f_cnt to 0', () => {
    expect(parseTtsUplink(fixtureBytes('tts/uplink.nwave-status.json'))).toMatchObject({
      ok: true,
      value: {
        devEui: '70b3d57ed0000001',
        fPort: 1,
        fCnt: 0,
        payload: Buffer.from([0x95]),
        rssi: -35,
        snr: 5,
      },
    });
  });

  it('falls back to the Network Server time when the top-level received_at is missing', () => {
    const payload = edited('tts/uplink.docs-data-formats.json', (m) => delete m.received_at);
    expect(parseTtsUplink(payload)).toMatchObject({
      ok: true,
      value: { receivedAt: new Date('2020-02-12T15:15:45.789Z') },
    });
  });

  it.each([
    ['not JSON', '{"end_device_ids": ', 'malformed_json', undefined],
    ['a JSON array', '[]', 'invalid_field', ''],
    [
      'no dev_eui',
      edited('tts/uplink.docs-data-formats.json', (m) => delete m.end_device_ids.dev_eui),
      'missing_field',
      'end_device_ids.dev_eui',
    ],
    [
      'a short dev_eui',
      edited('tts/uplink.docs-data-formats.json', (m) => (m.end_device_ids.dev_eui = '0004A30B')),
      'bad_dev_eui',
      'end_device_ids.dev_eui',
    ],
    [
      'no uplink_message (a join)',
      fixtureBytes('tts/down-ack.docs-mqtt.json'),
      'missing_field',
      'uplink_message',
    ],
    [
      'no device_id',
      edited('tts/uplink.docs-data-formats.json', (m) => delete m.end_device_ids.device_id),
      'missing_field',
      'end_device_ids.device_id',
    ],
    [
      'bad base64',
      edited('tts/uplink.docs-data-formats.json', (m) => (m.uplink_message.frm_payload = 'gk!e')),
      'bad_base64',
      'uplink_message.frm_payload',
    ],
    [
      'truncated base64',
      edited('tts/uplink.docs-data-formats.json', (m) => (m.uplink_message.frm_payload = 'gkHeA')),
      'bad_base64',
      'uplink_message.frm_payload',
    ],
    [
      'f_port as string',
      edited('tts/uplink.docs-data-formats.json', (m) => (m.uplink_message.f_port = '1')),
      'invalid_field',
      'uplink_message.f_port',
    ],
    [
      'f_port 256',
      edited('tts/uplink.docs-data-formats.json', (m) => (m.uplink_message.f_port = 256)),
      'invalid_field',
      'uplink_message.f_port',
    ],
    [
      'negative f_cnt',
      edited('tts/uplink.docs-data-formats.json', (m) => (m.uplink_message.f_cnt = -1)),
      'invalid_field',
      'uplink_message.f_cnt',
    ],
    [
      'a bad timestamp',
      edited('tts/uplink.docs-data-formats.json', (m) => (m.received_at = 'yesterday')),
      'bad_timestamp',
      'received_at',
    ],
  ])('rejects %s', (_, payload, reason, path) => {
    const result = parseTtsUplink(payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.reason).toBe(reason);
    expect(result.error.path).toBe(path);
  });
});

describe('ChirpStack uplinks', () => {
  it('parses the ChirpStack docs example; its fCnt is left out, meaning 0', () => {
    expect(parseChirpstackUplink(fixtureBytes('chirpstack/up.docs.json'))).toEqual({
      ok: true,
      value: {
        network: 'chirpstack',
        devEui: '0101010101010101',
        deviceName: 'Test device',
        applicationId: csApp,
        fPort: 1,
        fCnt: 0,
        payload: Buffer.from([0xaa]),
        receivedAt: new Date('2022-07-18T09:34:15.775Z'),
        rssi: -36,
        snr: 10.5,
      },
    });
  });

  it('reads fCnt when present and picks the strongest gateway', () => {
    expect(parseChirpstackUplink(fixtureBytes('chirpstack/up.nwave-heartbeat.json'))).toMatchObject({
      ok: true,
      value: { fCnt: 42, fPort: 2, deviceName: 'nwave-nps-0002' },
    });
    expect(parseChirpstackUplink(fixtureBytes('chirpstack/up.bosch-heartbeat.json'))).toMatchObject({
      ok: true,
      value: { fCnt: 0, devEui: 'fcd6bd00001936b0', rssi: -36, snr: 10.5 },
    });
  });

  it('accepts URL-safe and unpadded base64 (allowed by the protobuf JSON mapping)', () => {
    const payload = edited('chirpstack/up.docs.json', (m) => (m.data = '-_8'));
    expect(parseChirpstackUplink(payload)).toMatchObject({
      ok: true,
      value: { payload: Buffer.from([0xfb, 0xff]) },
    });
  });

  it('treats a frame without data as empty and without rxInfo as signal unknown', () => {
    const payload = edited('chirpstack/up.docs.json', (m) => {
      delete m.data;
      delete m.fPort;
      delete m.rxInfo;
    });
    const result = parseChirpstackUplink(payload);
    expect(result).toMatchObject({ ok: true, value: { fPort: 0, payload: Buffer.alloc(0) } });
    expect(result.ok && 'rssi' in result.value).toBe(false);
  });

  it.each([
    ['not JSON', Buffer.from([0xff, 0xfe, 0x00]), 'malformed_json', undefined],
    [
      'no deviceInfo',
      edited('chirpstack/up.docs.json', (m) => delete m.deviceInfo),
      'missing_field',
      'deviceInfo',
    ],
    [
      'no devEui',
      edited('chirpstack/up.docs.json', (m) => delete m.deviceInfo.devEui),
      'missing_field',
      'deviceInfo.devEui',
    ],
    [
      'a v3-style base64 devEui',
      edited('chirpstack/up.docs.json', (m) => (m.deviceInfo.devEui = 'AQEBAQEBAQE=')),
      'bad_dev_eui',
      'deviceInfo.devEui',
    ],
    ['bad base64', edited('chirpstack/up.docs.json', (m) => (m.data = 'q g==')), 'bad_base64', 'data'],
    ['fCnt as string', edited('chirpstack/up.docs.json', (m) => (m.fCnt = '7')), 'invalid_field', 'fCnt'],
    ['fractional fPort', edited('chirpstack/up.docs.json', (m) => (m.fPort = 1.5)), 'invalid_field', 'fPort'],
    [
      'a time without zone',
      edited('chirpstack/up.docs.json', (m) => (m.time = '2022-07-18T09:34:15')),
      'bad_timestamp',
      'time',
    ],
    [
      'no time and no fallback',
      edited('chirpstack/up.docs.json', (m) => delete m.time),
      'missing_field',
      'time',
    ],
  ])('rejects %s', (_, payload, reason, path) => {
    const result = parseChirpstackUplink(payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.reason).toBe(reason);
    expect(result.error.path).toBe(path);
  });
});

describe('parseUplinkMessage', () => {
  it('routes by topic', () => {
    expect(
      parseUplinkMessage(
        'v3/swf-parking@swf/devices/bosch-pls-0001/up',
        fixtureBytes('tts/uplink.bosch-startup.json'),
      ),
    ).toMatchObject({ ok: true, value: { network: 'tts', deviceId: 'bosch-pls-0001', fPort: 3, fCnt: 7 } });
    expect(
      parseUplinkMessage(
        `application/${csApp}/device/0101010101010101/event/up`,
        fixtureBytes('chirpstack/up.nwave-heartbeat.json'),
      ),
    ).toMatchObject({ ok: true, value: { network: 'chirpstack', devEui: '0101010101010101', fPort: 2 } });
  });

  it('rejects a body about another device than the topic names', () => {
    expect(
      parseUplinkMessage(
        'v3/swf-parking@swf/devices/bosch-pls-0002/up',
        fixtureBytes('tts/uplink.bosch-startup.json'),
      ),
    ).toMatchObject({ ok: false, error: { reason: 'topic_mismatch' } });
    expect(
      parseUplinkMessage(
        'v3/other-app@swf/devices/bosch-pls-0001/up',
        fixtureBytes('tts/uplink.bosch-startup.json'),
      ),
    ).toMatchObject({ ok: false, error: { reason: 'topic_mismatch' } });
    expect(
      parseUplinkMessage(
        `application/${csApp}/device/0202020202020202/event/up`,
        fixtureBytes('chirpstack/up.nwave-heartbeat.json'),
      ),
    ).toMatchObject({ ok: false, error: { reason: 'topic_mismatch' } });
    expect(
      parseUplinkMessage(
        'application/00000000-0000-0000-0000-000000000000/device/0101010101010101/event/up',
        fixtureBytes('chirpstack/up.nwave-heartbeat.json'),
      ),
    ).toMatchObject({ ok: false, error: { reason: 'topic_mismatch' } });
  });

  it('rejects non-uplink topics', () => {
    for (const topic of [
      'v3/app1@t1/devices/dev1/down/ack',
      'swf/t/lock/ack',
      `application/${csApp}/device/0101010101010101/event/ack`,
    ]) {
      expect(parseUplinkMessage(topic, fixtureBytes('chirpstack/up.docs.json'))).toMatchObject({
        ok: false,
        error: { reason: 'not_an_uplink_topic' },
      });
    }
  });

  it('never throws on arbitrary input', () => {
    const inputs: (string | Buffer)[] = [
      '',
      'null',
      '0',
      '"x"',
      '{}',
      '[1]',
      '{"uplink_message":null}',
      Buffer.alloc(3),
    ];
    for (const input of inputs) {
      expect(parseUplinkMessage('v3/app1/devices/dev1/up', input).ok).toBe(false);
      expect(parseUplinkMessage(`application/${csApp}/device/0101010101010101/event/up`, input).ok).toBe(
        false,
      );
    }
  });
});
