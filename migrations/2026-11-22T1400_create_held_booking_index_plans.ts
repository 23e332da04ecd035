import { type Kysely, sql } from 'kysely';

/**
 * create_held_booking plans its lookups as index probes, however small the tables were when a
 * connection first ran it.
 *
 * PL/pgSQL keeps a generic plan per connection, and PostgreSQL keeps the foreign-key check of
 * idempotency_key.booking_id per connection too. A connection that first booked while
 * idempotency_key and booking held a few rows (a new installation, a new town, the bench's
 * fresh database) planned sequential scans for the key lookup and for that check, and kept them
 * while the tables grew, until autovacuum happened to analyse them: every booking then read the
 * whole table. Seen in the bench: about 1,800 rows read per booking after 2,500 bookings, and
 * PostgreSQL's CPU per booking growing with the table (BENCHMARKS.md).
 *
 * Every query of the function looks rows up by a key or takes the constraint's index, so a
 * sequential scan is never the right plan here. The foreign-key check fires inside the function
 * (at the end of its insert) and so is planned under the same setting; the function is the only
 * writer of idempotency_key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter function create_held_booking(uuid, uuid, timestamptz, timestamptz, uuid, text, text, text, text, timestamptz)
      set enable_seqscan = off;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
