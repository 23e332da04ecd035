/**
 * Small, strict converters for the wire formats both network servers use (protobuf JSON
 * mapping): base64 bytes, hex EUIs and RFC 3339 timestamps. Node's own converters are
 * lenient (Buffer.from(s, 'base64') silently drops bad characters, Date parses almost
 * anything), which would turn a corrupted message into plausible but wrong data.
 */

// Proto3 JSON accepts standard or URL-safe base64, with or without padding.
const base64Pattern = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** Decodes base64 (standard or URL-safe, padding optional); undefined if it is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!base64Pattern.test(text)) return undefined;
  const body = text.replace(/=+$/, '');
  // A single leftover character cannot encode a whole byte.
  if (body.length % 4 === 1) return undefined;
  // Padding, when present, must complete the last quantum.
  if (body.length !== text.length && text.length % 4 !== 0) return undefined;
  return Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

const euiPattern = /^[0-9a-fA-F]{16}$/;

/** DevEUIs are compared and stored as 16 lowercase hex characters (ChirpStack's spelling). */
export function normalizeEui(text: string): string | undefined {
  return euiPattern.test(text) ? text.toLowerCase() : undefined;
}

// ChirpStack sends nanoseconds and "+00:00", The Things Stack nanoseconds and "Z".
const rfc3339Pattern = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp (sub-millisecond digits are dropped); undefined otherwise. */
export function parseTimestamp(text: string): Date | undefined {
  if (!rfc3339Pattern.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuid(text: string): boolean {
  return uuidPattern.test(text);
}
