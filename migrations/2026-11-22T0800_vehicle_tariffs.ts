import { type Kysely, sql } from 'kysely';

/**
 * Trip prices through the town's tariffs: a tariff is either for a space type (bike boxes) or
 * for a vehicle form factor (shared bikes), never both. The same units and the same quote
 * engine apply: per started hour, with the day price as a day cap (the cheapest cover takes a
 * day as soon as the hours would cost more). A finished trip keeps the tariff it was priced
 * with and the priced lines and VAT, so a later tariff change never alters a past trip.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table tariff
      alter column space_type drop not null,
      add column form_factor text check (form_factor in
        ('bicycle', 'cargo_bicycle', 'car', 'moped', 'scooter_standing', 'scooter_seated', 'other')),
      add constraint tariff_prices_one_thing check ((space_type is null) <> (form_factor is null)),
      -- A trip is priced by the hour or the day; a subscription or a week makes no trip price.
      add constraint tariff_vehicle_units check (form_factor is null or coalesce(hour_cents, day_cents) is not null);
    -- One tariff in force per town and form factor, as for space types.
    create unique index tariff_active_vehicle_idx on tariff (tenant_id, form_factor)
      where retired_at is null and form_factor is not null;

    alter table trip
      add column tariff_id uuid references tariff (id),
      add column price_vat_cents integer check (price_vat_cents >= 0),
      add column price_vat_rate_bp integer check (price_vat_rate_bp between 0 and 10000),
      add column price_lines jsonb not null default '[]',
      add constraint trip_price_vat check (price_vat_cents is null or price_vat_cents <= price_cents);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
