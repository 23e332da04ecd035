import { type Kysely, sql } from 'kysely';

/** The five pioneer towns and the regional agency (Smart Cities: 5 für Südwestfalen). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into tenant (id, name) values
      ('arnsberg', 'Stadt Arnsberg'),
      ('bad-berleburg', 'Stadt Bad Berleburg'),
      ('menden', 'Stadt Menden (Sauerland)'),
      ('olpe', 'Kreisstadt Olpe'),
      ('soest', 'Stadt Soest'),
      ('suedwestfalen', 'Region Südwestfalen')
    on conflict (id) do nothing
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
