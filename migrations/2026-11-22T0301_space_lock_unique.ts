import { type Kysely, sql } from 'kysely';

/** One lock opens one space: two live spaces naming the same lock device would both open together. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unique index space_lock_device_unique on space (tenant_id, lock_device_id)
      where lock_device_id is not null and retired_at is null
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
