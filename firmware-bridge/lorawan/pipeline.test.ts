import { describe, expect, it } from 'vitest';
import { fixtureBytes } from './fixtures.ts';
import type { DeviceProfile } from './parking-event.ts';
import { decodeParkingPayload } from './parking-payload.ts';
import { parseUplinkMessage } from './uplink.ts';

/** What the bridge does per message: envelope first, then the payload by device profile. */
function handle(topic: string, file: string, profile: DeviceProfile) {
  const uplink = parseUplinkMessage(topic, fixtureBytes(file));
  if (!uplink.ok) return uplink;
  return decodeParkingPayload(profile, uplink.value.fPort, uplink.value.payload);
}

const csApp = '17c82e96-be03-4f38-aef3-f83d48582d97';

describe('envelope fixtures around published sensor payloads', () => {
  it('TTS + Bosch PLS start-up', () => {
    expect(
      handle('v3/swf-parking@swf/devices/bosch-pls-0001/up', 'tts/uplink.bosch-startup.json', 'bosch-pls'),
    ).toEqual({
      ok: true,
      value: {
        kind: 'startup',
        occupied: true,
        firmware: '0.29.2',
        resetCause: 'system_request',
        resetCauseCode: 3,
        debugCodes: [804, 885],
      },
    });
  });

  it('TTS + Nwave parking status', () => {
    expect(
      handle('v3/swf-parking@swf/devices/nwave-nps-0001/up', 'tts/uplink.nwave-status.json', 'nwave-nps'),
    ).toEqual({
      ok: true,
      value: {
        kind: 'occupancy',
        occupied: true,
        previousStateDuration: { value: 74, maxError: 0, overflow: false },
      },
    });
  });

  it('ChirpStack + Nwave heartbeat', () => {
    expect(
      handle(
        `application/${csApp}/device/0101010101010101/event/up`,
        'chirpstack/up.nwave-heartbeat.json',
        'nwave-nps',
      ),
    ).toEqual({
      ok: true,
      value: {
        kind: 'heartbeat',
        occupied: false,
        temperatureC: -10,
        battery: { voltageMv: 3344, health: 'normal' },
      },
    });
  });

  it('ChirpStack + Bosch heartbeat', () => {
    expect(
      handle(
        `application/${csApp}/device/fcd6bd00001936b0/event/up`,
        'chirpstack/up.bosch-heartbeat.json',
        'bosch-pls',
      ),
    ).toEqual({ ok: true, value: { kind: 'heartbeat', occupied: true, temperatureC: -1 } });
  });

  it('a MAC-only TTS frame (no f_port) is not a sensor event', () => {
    expect(handle('v3/app1/devices/dev1/up', 'tts/uplink.docs-data-formats.json', 'bosch-pls')).toMatchObject(
      {
        ok: false,
        error: { reason: 'unsupported_fport', fPort: 0 },
      },
    );
  });
});
