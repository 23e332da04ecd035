import { describe, expect, it } from 'vitest';
import { batteryStatus, decompressDuration } from './nwave-nps.ts';
import type { DeviceProfile } from './parking-event.ts';
import { decodeParkingPayload } from './parking-payload.ts';

const profiles: DeviceProfile[] = ['bosch-pls', 'nwave-nps'];

describe('decodeParkingPayload, malformed input', () => {
  it.each([
    ['bosch-pls', 1, 0, 1],
    ['bosch-pls', 2, 0, 1],
    ['bosch-pls', 3, 16, 17],
    ['bosch-pls', 3, 0, 17],
    ['nwave-nps', 1, 0, 1],
    ['nwave-nps', 2, 1, 3],
    ['nwave-nps', 2, 2, 3],
    ['nwave-nps', 3, 4, 5],
  ] as const)('%s fPort %i with %i bytes is bad_length', (profile, fPort, length, minLength) => {
    expect(decodeParkingPayload(profile, fPort, new Uint8Array(length))).toEqual({
      ok: false,
      error: expect.objectContaining({ reason: 'bad_length', fPort, length, minLength }),
    });
  });

  it.each(
    profiles.flatMap((profile) => [0, 4, 5, 6, 10, 224, 255].map((fPort) => [profile, fPort] as const)),
  )('%s fPort %i is unsupported_fport', (profile, fPort) => {
    expect(decodeParkingPayload(profile, fPort, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8))).toEqual({
      ok: false,
      error: expect.objectContaining({ reason: 'unsupported_fport', fPort }),
    });
  });

  it('never throws, whatever the bytes', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    let decoded = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: random() % 24 }, () => random() & 0xff);
      for (const profile of profiles) {
        if (decodeParkingPayload(profile, random() % 5, bytes).ok) decoded++;
      }
    }
    expect(decoded).toBeGreaterThan(0);
  });
});

describe('Bosch PLS details', () => {
  it('reads only bit 0 for occupancy (bits 7..1 are reserved)', () => {
    expect(decodeParkingPayload('bosch-pls', 1, Uint8Array.of(0xfe))).toEqual({
      ok: true,
      value: { kind: 'occupancy', occupied: false },
    });
  });

  it('decodes signed temperatures', () => {
    expect(decodeParkingPayload('bosch-pls', 2, Uint8Array.of(0, 0x80))).toMatchObject({
      value: { temperatureC: -128 },
    });
    expect(decodeParkingPayload('bosch-pls', 2, Uint8Array.of(0, 0x7f))).toMatchObject({
      value: { temperatureC: 127 },
    });
  });

  it('keeps an unknown reset cause as its code only, and ignores trailing bytes', () => {
    const bytes = new Uint8Array(18);
    bytes.set([0, 23, 3, 9, 0], 12);
    expect(decodeParkingPayload('bosch-pls', 3, bytes)).toEqual({
      ok: true,
      value: { kind: 'startup', occupied: false, firmware: '0.23.3', resetCauseCode: 9, debugCodes: [] },
    });
  });

  it('uses only the low 4 bits of the second debug byte (12-bit codes)', () => {
    const bytes = new Uint8Array(17);
    bytes.set([0xff, 0xff, 0xaa, 0xbb], 0);
    expect(decodeParkingPayload('bosch-pls', 3, bytes)).toMatchObject({ value: { debugCodes: [0xfff] } });
  });
});

describe('Nwave NPS details', () => {
  it.each([
    [0, { value: 0, maxError: 0, overflow: false }],
    [89, { value: 89, maxError: 0, overflow: false }],
    [90, { value: 90, maxError: 4, overflow: false }],
    [119, { value: 235, maxError: 4, overflow: false }],
    [120, { value: 240, maxError: 59, overflow: false }],
    [126, { value: 600, maxError: 59, overflow: false }],
    [127, { value: 660, maxError: null, overflow: true }],
  ])('decompresses duration code %i', (code, expected) => {
    expect(decompressDuration(code)).toEqual(expected);
  });

  it('reads occupancy from bit 0 and the duration from bits 7..1', () => {
    expect(decodeParkingPayload('nwave-nps', 1, Uint8Array.of(0xfe))).toEqual({
      ok: true,
      value: {
        kind: 'occupancy',
        occupied: false,
        previousStateDuration: { value: 660, maxError: null, overflow: true },
      },
    });
  });

  it.each([
    [3000, 20, 'normal'],
    [2999, 20, 'low'],
    [2900, -5, 'low'],
    [2899, -5, 'critical'],
    [2900, -5.5, 'normal'],
    [2899, -5.5, 'low'],
    [2800, -20, 'low'],
    [2799, -20, 'critical'],
  ] as const)('judges %i mV at %f °C as %s', (mv, temperature, health) => {
    expect(batteryStatus(mv, temperature)).toEqual({ voltageMv: mv, health });
  });

  it('decodes heartbeat battery and temperature extremes', () => {
    expect(decodeParkingPayload('nwave-nps', 2, Uint8Array.of(0x01, 0xff, 0x7f))).toEqual({
      ok: true,
      value: {
        kind: 'heartbeat',
        occupied: true,
        temperatureC: 73.5,
        battery: { voltageMv: 3520, health: 'normal' },
      },
    });
    expect(decodeParkingPayload('nwave-nps', 2, Uint8Array.of(0x00, 0x00, 0x80))).toMatchObject({
      value: { temperatureC: -54, battery: { voltageMv: 2500, health: 'critical' } },
    });
  });

  it.each([
    [0, 'network_rejoin'],
    [1, 'watchdog'],
    [3, 'user_request'],
    [6, 'brownout'],
    [7, 'other'],
  ])('maps reset cause %i to %s', (code, cause) => {
    expect(decodeParkingPayload('nwave-nps', 3, Uint8Array.of(2, 4, 9, code, 1))).toMatchObject({
      value: { resetCause: cause, resetCauseCode: code, occupied: true },
    });
  });

  it.each([4, 5, 8, 255])('leaves reset cause %i unnamed', (code) => {
    const result = decodeParkingPayload('nwave-nps', 3, Uint8Array.of(2, 4, 9, code, 0));
    expect(result).toMatchObject({ ok: true, value: { resetCauseCode: code } });
    expect(result.ok && 'resetCause' in result.value).toBe(false);
  });
});
