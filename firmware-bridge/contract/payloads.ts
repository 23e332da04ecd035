import { z } from 'zod';

/**
 * Payloads of the device contract. These zod schemas are the single source: the bridge and
 * the simulator validate with them, and schema/asyncapi.yaml is generated from them
 * (contract/asyncapi.ts; a test fails when the committed file drifts).
 */

/** Largest payload the bridge accepts from a device; larger ones go to dead_letter. */
export const MAX_PAYLOAD_BYTES = 4096;

const timestamp = z.iso.datetime({ offset: true });

export const COMMAND_ACTIONS = ['unlock', 'lock', 'force_unlock'] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

export const LOCK_STATES = ['locked', 'unlocked', 'jammed', 'unknown'] as const;
export type LockState = (typeof LOCK_STATES)[number];

export const ACK_RESULTS = ['ok', 'rejected', 'failed'] as const;
export type AckResult = (typeof ACK_RESULTS)[number];

/** `startup`: the device (re)booted or (re)joined; LoRaWAN sensors report it on fPort 3. */
export const EVENT_TYPES = ['door_opened', 'door_closed', 'tamper', 'button', 'jammed', 'startup'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const commandPayloadSchema = z
  .strictObject({
    cmdId: z.uuid().describe('Command id; a device executes each id at most once'),
    action: z.enum(COMMAND_ACTIONS),
    params: z.record(z.string(), z.unknown()).describe('Action parameters; part of the signed content'),
    issuedAt: timestamp,
    expiresAt: timestamp.describe('The device refuses the command after this instant'),
    sig: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe('Lowercase hex HMAC-SHA256 over the canonical form (see info.description)'),
  })
  .describe('A signed command from the bridge to one device');
export type CommandPayload = z.infer<typeof commandPayloadSchema>;

export const ackPayloadSchema = z
  .strictObject({
    cmdId: z.uuid(),
    result: z.enum(ACK_RESULTS),
    state: z.enum(LOCK_STATES).describe('Lock state after handling the command'),
    at: timestamp,
    reason: z
      .string()
      .max(200)
      .optional()
      .describe('Why a command was rejected or failed, e.g. bad_signature, expired'),
  })
  .describe("A device's answer to a command");
export type AckPayload = z.infer<typeof ackPayloadSchema>;

export const eventPayloadSchema = z
  .looseObject({
    type: z.enum(EVENT_TYPES),
    at: timestamp,
  })
  .describe('Something happened at the device; further fields are kept as they are');
export type EventPayload = z.infer<typeof eventPayloadSchema>;

export const telemetryPayloadSchema = z
  .looseObject({
    occupied: z.boolean().optional().describe('Occupancy sensor: a bike is in the box'),
    battery: z.number().min(0).max(100).optional().describe('Battery charge in percent'),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    at: timestamp,
  })
  .describe('Measurements; further fields are kept as they are');
export type TelemetryPayload = z.infer<typeof telemetryPayloadSchema>;

export const STATUS_VALUES = ['online', 'offline'] as const;
export const statusPayloadSchema = z
  .enum(STATUS_VALUES)
  .describe('Plain text, retained; offline is the Last Will of the client');
export type StatusPayload = z.infer<typeof statusPayloadSchema>;
