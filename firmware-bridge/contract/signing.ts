import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CommandPayload } from './payloads.ts';

/**
 * Command signatures. A device checks them itself, so a forged, replayed or stale command is
 * refused whatever the broker lets through (and over MQTT 3.1.1 as over 5).
 *
 * Canonical form (version 1): these lines joined with "\n" (LF, no trailing newline), UTF-8:
 *
 *   swf-cmd-v1
 *   {tenantId}            from the topic
 *   {deviceId}            from the topic
 *   {cmdId}
 *   {action}
 *   {issuedAt}            exactly the string sent in the payload
 *   {expiresAt}           exactly the string sent in the payload
 *   {params as canonical JSON: object keys sorted by code unit, no whitespace}
 *
 * None of the first seven fields can hold a newline (ids and timestamps are pattern-checked),
 * and JSON escapes newlines, so the form is unambiguous. The tenant and device are signed
 * too, so a command cannot be moved to another device that happens to share a key.
 * sig = lowercase hex of HMAC-SHA256(key = the device secret's UTF-8 bytes, canonical form).
 */

export const SIGNATURE_VERSION = 'swf-cmd-v1';

/** Clock difference between bridge and device that freshness checks tolerate. */
export const MAX_CLOCK_SKEW_MS = 30_000;

export type SignedFields = Pick<CommandPayload, 'cmdId' | 'action' | 'params' | 'issuedAt' | 'expiresAt'>;

export interface CommandTarget {
  tenantId: string;
  deviceId: string;
}

/** JSON with object keys sorted at every depth and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`not representable in JSON: ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function canonicalCommand(target: CommandTarget, fields: SignedFields): string {
  return [
    SIGNATURE_VERSION,
    target.tenantId,
    target.deviceId,
    fields.cmdId,
    fields.action,
    fields.issuedAt,
    fields.expiresAt,
    canonicalJson(fields.params),
  ].join('\n');
}

export function signCommand(secret: string, target: CommandTarget, fields: SignedFields): string {
  return createHmac('sha256', secret).update(canonicalCommand(target, fields), 'utf8').digest('hex');
}

/** Constant-time comparison: the time taken tells an attacker nothing about the expected value. */
export function verifyCommand(
  secret: string,
  target: CommandTarget,
  fields: SignedFields & { sig: string },
): boolean {
  const expected = Buffer.from(signCommand(secret, target, fields), 'utf8');
  const given = Buffer.from(fields.sig, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type Freshness = { ok: true } | { ok: false; reason: 'expired' | 'not_yet_valid' | 'invalid_time' };

/**
 * Whether a command may be executed at `now`: not past its expiry, and not issued further in
 * the future than the tolerated clock skew (a command "from the future" is a replay risk).
 */
export function checkFreshness(
  fields: Pick<SignedFields, 'issuedAt' | 'expiresAt'>,
  now: Date,
  maxSkewMs = MAX_CLOCK_SKEW_MS,
): Freshness {
  const issued = Date.parse(fields.issuedAt);
  const expires = Date.parse(fields.expiresAt);
  if (Number.isNaN(issued) || Number.isNaN(expires) || expires <= issued) {
    return { ok: false, reason: 'invalid_time' };
  }
  const t = now.getTime();
  if (t >= expires) return { ok: false, reason: 'expired' };
  if (issued > t + maxSkewMs) return { ok: false, reason: 'not_yet_valid' };
  return { ok: true };
}
