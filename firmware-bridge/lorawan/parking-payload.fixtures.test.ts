import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixtureJson } from './fixtures.ts';
import { deviceProfileSchema, type ParkingSensorEvent } from './parking-event.ts';
import { decodeParkingPayload } from './parking-payload.ts';

/**
 * Published example payloads (see fixtures/SOURCES.md). `reference` is the vendor decoder's
 * output copied verbatim; `expected` is our normalised event. Besides checking `expected`,
 * each case re-derives the reference values from our result, so a slip while writing
 * `expected` by hand cannot hide a decoding error.
 */
const exampleFile = z.object({
  profile: deviceProfileSchema,
  examples: z.array(
    z.object({
      source: z.string(),
      description: z.string(),
      fPort: z.number().int(),
      bytes: z.array(z.number().int().min(0).max(255)),
      reference: z.record(z.string(), z.unknown()),
      expected: z.record(z.string(), z.unknown()).optional(),
      expectedError: z.object({ reason: z.string(), fPort: z.number() }).optional(),
    }),
  ),
});

const boschResetCauses: Record<string, string> = {
  watchdog: 'watchdog',
  'power on': 'power_on',
  'system request': 'system_request',
  other: 'other',
};

function checkAgainstBoschReference(event: ParkingSensorEvent, reference: Record<string, unknown>): void {
  if ('occupied' in reference) expect(event.occupied).toBe(reference.occupied);
  if (reference.ParkingSpaceStatus !== undefined) {
    expect(event.occupied).toBe(reference.ParkingSpaceStatus === 'OccupiedParkingSpace');
  }
  if (event.kind === 'heartbeat' && 'temperature' in reference) {
    expect(event.temperatureC).toBe(reference.temperature);
  }
  if (event.kind === 'startup') {
    expect(event.firmware).toBe(reference.firmwareVersion);
    expect(event.debugCodes).toEqual(reference.debugCodes);
    expect(event.resetCause).toBe(boschResetCauses[String(reference.resetCause)]);
  }
}

function checkAgainstNwaveReference(event: ParkingSensorEvent, reference: Record<string, unknown>): void {
  expect(event.occupied).toBe(reference.occupied);
  if (event.kind === 'occupancy') {
    expect(event.previousStateDuration).toEqual({
      value: reference.previous_state_duration,
      maxError: reference.previous_state_duration_error,
      overflow: reference.previous_state_duration_overflow,
    });
  }
  if (event.kind === 'heartbeat') {
    expect(event.temperatureC).toBe(reference.temperature);
    expect(event.battery?.voltageMv).toBe(Math.round(Number(reference.battery_voltage) * 1000));
    expect(event.battery?.health).toBe(reference.battery_health);
  }
  if (event.kind === 'startup') {
    expect(event.firmware).toBe(reference.firmware_version);
    expect(event.resetCause).toBe(reference.reset_cause);
  }
}

describe.each([
  ['bosch-pls.examples.json', checkAgainstBoschReference],
  ['nwave-nps.examples.json', checkAgainstNwaveReference],
] as const)('%s', (file, checkReference) => {
  const { profile, examples } = exampleFile.parse(fixtureJson(file));

  it.each(examples)('$description (fPort $fPort)', (example) => {
    const result = decodeParkingPayload(profile, example.fPort, Uint8Array.from(example.bytes));
    if (example.expectedError !== undefined) {
      expect(result).toMatchObject({ ok: false, error: example.expectedError });
      return;
    }
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual(example.expected);
    checkReference(result.value, example.reference);
  });
});
