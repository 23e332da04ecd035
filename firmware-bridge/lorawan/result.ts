/**
 * Every parser in this folder returns a Result instead of throwing: the input comes from
 * network servers and radios we do not control, and one bad message must never take the
 * bridge down or be confused with a programming error.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
