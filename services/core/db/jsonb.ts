import { type RawBuilder, sql } from 'kysely';

/**
 * A value for a jsonb column. Bound as text and cast in SQL: postgres.js serializes a string
 * bound to a jsonb parameter as a JSON string (double encoding), PGlite does not; the cast
 * makes both store the object.
 */
export function jsonb(value: unknown): RawBuilder<string> {
  return sql<string>`cast(${JSON.stringify(value)}::text as jsonb)`;
}
