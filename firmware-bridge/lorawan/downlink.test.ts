import { describe, expect, it } from 'vitest';
import {
  DownlinkEncodeError,
  encodeChirpstackDownlink,
  encodeTtsDownlink,
  encodeTtsQueueClear,
} from './downlink.ts';
import { decodeLockCommand, encodeLockCommand, LOCK_FPORT } from './lock-command.ts';

const commandId = '6f1d7c2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
const csApp = '17c82e96-be03-4f38-aef3-f83d48582d97';
const unlock42 = encodeLockCommand({ action: 'unlock', sequence: 42 });

describe('lock command payload', () => {
  it('is action byte + big-endian uint32 sequence', () => {
    expect([...unlock42]).toEqual([0x01, 0, 0, 0, 42]);
    expect([...encodeLockCommand({ action: 'lock', sequence: 0x01020304 })]).toEqual([0x02, 1, 2, 3, 4]);
    expect([...encodeLockCommand({ action: 'lock', sequence: 0xffff_ffff })]).toEqual([
      2, 255, 255, 255, 255,
    ]);
  });

  it('round-trips', () => {
    for (const command of [
      { action: 'unlock', sequence: 0 },
      { action: 'lock', sequence: 4_000_000_000 },
    ] as const) {
      expect(decodeLockCommand(encodeLockCommand(command))).toEqual({ ok: true, value: command });
    }
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('refuses sequence %d', (sequence) => {
    expect(() => encodeLockCommand({ action: 'lock', sequence })).toThrow(RangeError);
  });

  it('rejects malformed commands on the lock side', () => {
    expect(decodeLockCommand(Uint8Array.of(1, 0, 0, 0))).toMatchObject({
      ok: false,
      error: { reason: 'bad_length' },
    });
    expect(decodeLockCommand(Uint8Array.of(3, 0, 0, 0, 1))).toMatchObject({
      ok: false,
      error: { reason: 'unknown_action' },
    });
  });
});

describe('encodeTtsDownlink', () => {
  it('produces the documented down/push shape', () => {
    const publication = encodeTtsDownlink(
      { applicationId: 'swf-locks', tenantId: 'swf', deviceId: 'box-0007' },
      { commandId, fPort: LOCK_FPORT, payload: unlock42 },
    );
    expect(publication.topic).toBe('v3/swf-locks@swf/devices/box-0007/down/push');
    expect(JSON.parse(publication.payload)).toEqual({
      downlinks: [
        {
          f_port: 10,
          frm_payload: 'AQAAACo=',
          priority: 'HIGH',
          confirmed: true,
          correlation_ids: [`swf:cmd:${commandId}`],
        },
      ],
    });
  });

  it('honours priority and confirmed, and the Open Source topic', () => {
    const publication = encodeTtsDownlink(
      { applicationId: 'swf-locks', deviceId: 'box-0007' },
      {
        commandId: commandId.toUpperCase(),
        fPort: 15,
        payload: Uint8Array.of(0xbe, 0xef),
        priority: 'NORMAL',
        confirmed: false,
      },
    );
    expect(publication.topic).toBe('v3/swf-locks/devices/box-0007/down/push');
    expect(JSON.parse(publication.payload)).toEqual({
      downlinks: [
        {
          f_port: 15,
          frm_payload: 'vu8=',
          priority: 'NORMAL',
          confirmed: false,
          correlation_ids: [`swf:cmd:${commandId}`],
        },
      ],
    });
  });

  it.each([
    [
      { applicationId: 'swf-locks', deviceId: 'Box_7' },
      { commandId, fPort: 10, payload: unlock42 },
    ],
    [
      { applicationId: 'swf-locks', deviceId: 'box-0007', tenantId: 'x' },
      { commandId, fPort: 10, payload: unlock42 },
    ],
    [
      { applicationId: 'swf-locks', deviceId: 'box-0007' },
      { commandId: 'cmd-1', fPort: 10, payload: unlock42 },
    ],
    [
      { applicationId: 'swf-locks', deviceId: 'box-0007' },
      { commandId, fPort: 0, payload: unlock42 },
    ],
    [
      { applicationId: 'swf-locks', deviceId: 'box-0007' },
      { commandId, fPort: 224, payload: unlock42 },
    ],
  ])('throws DownlinkEncodeError for %j %j', (device, request) => {
    expect(() => encodeTtsDownlink(device, request)).toThrow(DownlinkEncodeError);
  });
});

describe('encodeChirpstackDownlink', () => {
  it('produces the documented command/down shape with our id as queue item id', () => {
    const publication = encodeChirpstackDownlink(
      { applicationId: csApp, devEui: '0102030405060708' },
      { commandId, fPort: LOCK_FPORT, payload: unlock42 },
    );
    expect(publication.topic).toBe(`application/${csApp}/device/0102030405060708/command/down`);
    expect(JSON.parse(publication.payload)).toEqual({
      id: commandId,
      devEui: '0102030405060708',
      confirmed: true,
      fPort: 10,
      data: 'AQAAACo=',
    });
  });

  it('spells the DevEUI identically in topic and body (ChirpStack compares them as strings)', () => {
    const publication = encodeChirpstackDownlink(
      { applicationId: csApp.toUpperCase(), devEui: 'A84041000181AF4F' },
      { commandId, fPort: 10, payload: unlock42, confirmed: false },
    );
    expect(publication.topic).toBe(`application/${csApp}/device/a84041000181af4f/command/down`);
    expect(JSON.parse(publication.payload)).toMatchObject({ devEui: 'a84041000181af4f', confirmed: false });
  });

  it.each([
    [
      { applicationId: 'app1', devEui: '0102030405060708' },
      { commandId, fPort: 10, payload: unlock42 },
    ],
    [
      { applicationId: csApp, devEui: '01020304' },
      { commandId, fPort: 10, payload: unlock42 },
    ],
    [
      { applicationId: csApp, devEui: '0102030405060708' },
      { commandId: 'not-a-uuid', fPort: 10, payload: unlock42 },
    ],
    [
      { applicationId: csApp, devEui: '0102030405060708' },
      { commandId, fPort: 0, payload: unlock42 },
    ],
  ])('throws DownlinkEncodeError for %j %j', (device, request) => {
    expect(() => encodeChirpstackDownlink(device, request)).toThrow(DownlinkEncodeError);
  });
});

describe('encodeTtsQueueClear', () => {
  it('replaces the queue of the device with no downlinks', () => {
    expect(
      encodeTtsQueueClear({ applicationId: 'swf-locks', tenantId: 'swf', deviceId: 'lock-0001' }),
    ).toEqual({
      topic: 'v3/swf-locks@swf/devices/lock-0001/down/replace',
      payload: '{"downlinks":[]}',
    });
  });

  it('refuses an id that is not a TTS id (it would be another topic)', () => {
    expect(() => encodeTtsQueueClear({ applicationId: 'swf-locks', deviceId: 'lock/+' })).toThrow(
      DownlinkEncodeError,
    );
  });
});
