import { type Kysely, sql } from 'kysely';

/**
 * Mobility stations (Mobilstationen) and shared vehicles: stations as sites of kind
 * mobility_station with the modes they group, vehicle types (GBFS form factor, propulsion,
 * range), vehicles with their telematics device, reservations ahead (an exclusion constraint
 * keeps one vehicle from being reserved twice for overlapping periods), trips, and the
 * station capacity guard that refuses a return to a full station.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Whether a vehicle taken at one station may be returned at another station of the town.
    alter table tenant add column one_way_returns boolean not null default false;

    -- Lets other tables demand a site of a given kind through a foreign key.
    alter table site add constraint site_tenant_id_kind_unique unique (tenant_id, id, kind);

    create table mobility_station (
      site_id uuid primary key,
      tenant_id text not null,
      site_kind text not null default 'mobility_station' check (site_kind = 'mobility_station'),
      vehicle_capacity integer not null default 0 check (vehicle_capacity between 0 and 500),
      accepts_returns boolean not null default true,
      is_renting boolean not null default true,
      charging_points integer not null default 0 check (charging_points between 0 and 200),
      bus_stop_ref text check (bus_stop_ref ~ '^[A-Za-z0-9:_.-]{1,64}$'),
      bus_stop_name text check (length(bus_stop_name) between 1 and 200),
      bike_garage_site_id uuid,
      bike_garage_kind text generated always as (case when bike_garage_site_id is not null then 'bike_garage' end) stored,
      bench_site_id uuid,
      bench_kind text generated always as (case when bench_site_id is not null then 'bench' end) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint mobility_station_site_fk foreign key (tenant_id, site_id, site_kind)
        references site (tenant_id, id, kind),
      constraint mobility_station_garage_fk foreign key (tenant_id, bike_garage_site_id, bike_garage_kind)
        references site (tenant_id, id, kind),
      constraint mobility_station_bench_fk foreign key (tenant_id, bench_site_id, bench_kind)
        references site (tenant_id, id, kind),
      constraint mobility_station_tenant_unique unique (tenant_id, site_id)
    );

    create table vehicle_type (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenant (id),
      code text not null check (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
      name text not null check (length(name) between 1 and 100),
      form_factor text not null check (form_factor in
        ('bicycle', 'cargo_bicycle', 'car', 'moped', 'scooter_standing', 'scooter_seated', 'other')),
      propulsion text not null check (propulsion in ('human', 'electric_assist', 'electric', 'combustion',
        'combustion_diesel', 'hybrid', 'plug_in_hybrid', 'hydrogen_fuel_cell')),
      max_range_meters integer check (max_range_meters between 1 and 2000000),
      rider_capacity integer check (rider_capacity between 1 and 9),
      cargo_load_kg integer check (cargo_load_kg between 1 and 2000),
      cargo_volume_liters integer check (cargo_volume_liters between 1 and 20000),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- GBFS requires a range for anything with a motor.
      constraint vehicle_type_range_required check (propulsion = 'human' or max_range_meters is not null),
      constraint vehicle_type_code_unique unique (tenant_id, code),
      constraint vehicle_type_tenant_unique unique (tenant_id, id)
    );

    create table vehicle (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null,
      vehicle_type_id uuid not null,
      label text not null check (length(label) between 1 and 60),
      device_id text not null,
      home_station_id uuid not null,
      -- Where the vehicle is parked now; null while it is out on a trip.
      station_id uuid,
      status text not null default 'available' check (status in ('available', 'in_use', 'maintenance', 'retired')),
      -- The id published in GBFS vehicle_status; rotated after every trip (GBFS privacy rule).
      public_id uuid not null default gen_random_uuid(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint vehicle_type_fk foreign key (tenant_id, vehicle_type_id) references vehicle_type (tenant_id, id),
      constraint vehicle_device_fk foreign key (tenant_id, device_id) references device (tenant_id, id),
      constraint vehicle_home_station_fk foreign key (tenant_id, home_station_id)
        references mobility_station (tenant_id, site_id),
      constraint vehicle_station_fk foreign key (tenant_id, station_id) references mobility_station (tenant_id, site_id),
      constraint vehicle_label_unique unique (tenant_id, label),
      constraint vehicle_tenant_unique unique (tenant_id, id),
      constraint vehicle_parked check (status in ('in_use', 'retired') or station_id is not null),
      constraint vehicle_in_use_not_parked check (status <> 'in_use' or station_id is null)
    );
    create unique index vehicle_device_unique on vehicle (tenant_id, device_id) where status <> 'retired';
    create index vehicle_station_idx on vehicle (station_id) where station_id is not null;
    create index vehicle_tenant_idx on vehicle (tenant_id, label);

    create table vehicle_reservation (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null,
      vehicle_id uuid not null,
      station_id uuid not null,
      account_id uuid not null references account (id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      period tstzrange generated always as (tstzrange(starts_at, ends_at, '[)')) stored,
      status text not null default 'confirmed'
        check (status in ('confirmed', 'active', 'completed', 'cancelled', 'no_show')),
      idempotency_key text not null check (length(idempotency_key) between 1 and 200),
      request_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint vehicle_reservation_vehicle_fk foreign key (tenant_id, vehicle_id) references vehicle (tenant_id, id),
      constraint vehicle_reservation_station_fk foreign key (tenant_id, station_id)
        references mobility_station (tenant_id, site_id),
      constraint vehicle_reservation_period_valid check (starts_at < ends_at),
      constraint vehicle_reservation_idempotency unique (account_id, idempotency_key),
      -- As for spaces: two live reservations of one vehicle never overlap, whatever the code does.
      constraint vehicle_reservation_no_overlap exclude using gist (vehicle_id with =, period with &&)
        where (status in ('confirmed', 'active'))
    );
    create index vehicle_reservation_account_idx on vehicle_reservation (account_id, starts_at desc);
    create index vehicle_reservation_sweep_idx on vehicle_reservation (status, starts_at) where status = 'confirmed';

    create table trip (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null,
      reservation_id uuid not null references vehicle_reservation (id),
      vehicle_id uuid not null,
      account_id uuid not null references account (id),
      -- starting: unlock sent, no answer yet; failed: the vehicle never unlocked.
      status text not null default 'starting' check (status in ('starting', 'active', 'completed', 'failed')),
      start_station_id uuid not null,
      end_station_id uuid,
      requested_at timestamptz not null,
      started_at timestamptz,
      ended_at timestamptz,
      duration_seconds integer check (duration_seconds >= 0),
      distance_meters integer check (distance_meters >= 0),
      distance_source text check (distance_source in ('track', 'stations')),
      position_confirmed boolean,
      price_status text not null default 'open' check (price_status in ('open', 'quoted', 'unpriced')),
      price_cents integer check (price_cents >= 0),
      price_currency text check (price_currency ~ '^[A-Z]{3}$'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint trip_vehicle_fk foreign key (tenant_id, vehicle_id) references vehicle (tenant_id, id),
      constraint trip_start_station_fk foreign key (tenant_id, start_station_id)
        references mobility_station (tenant_id, site_id),
      constraint trip_end_station_fk foreign key (tenant_id, end_station_id)
        references mobility_station (tenant_id, site_id),
      constraint trip_started check (status not in ('active', 'completed') or started_at is not null),
      constraint trip_completed check (status <> 'completed' or (ended_at is not null and end_station_id is not null
        and duration_seconds is not null and distance_meters is not null)),
      constraint trip_period_valid check (ended_at is null or started_at <= ended_at)
    );
    create unique index trip_one_live_per_vehicle on trip (vehicle_id) where status in ('starting', 'active');
    create unique index trip_one_per_reservation on trip (reservation_id) where status <> 'failed';
    create index trip_account_idx on trip (account_id, requested_at desc);
    create index trip_starting_idx on trip (requested_at) where status = 'starting';

    alter table device_command
      add column vehicle_id uuid references vehicle (id),
      add column trip_id uuid references trip (id);
    create index device_command_trip_idx on device_command (trip_id) where trip_id is not null;
  `.execute(db);

  // A return to a full station fails in the database, not only in the service: the advisory
  // lock serialises returns to one station, so two riders racing for its last place cannot
  // both get it. check_violation with a constraint name lets the service map it to a typed error.
  await sql`
    create function vehicle_check_station_capacity() returns trigger language plpgsql as $$
    declare
      cap integer;
      parked integer;
    begin
      if new.station_id is null or (tg_op = 'UPDATE' and new.station_id is not distinct from old.station_id) then
        return new;
      end if;
      perform pg_advisory_xact_lock(hashtextextended('mobility_station:' || new.station_id::text, 0));
      select vehicle_capacity into cap from mobility_station where site_id = new.station_id;
      select count(*) into parked from vehicle where station_id = new.station_id and id <> new.id;
      if parked >= coalesce(cap, 0) then
        raise exception 'mobility station % is full', new.station_id
          using errcode = 'check_violation', constraint = 'vehicle_station_capacity';
      end if;
      return new;
    end $$;
    create trigger vehicle_station_capacity before insert or update of station_id on vehicle
      for each row execute function vehicle_check_station_capacity();

    -- Live station pages: every change of what a station offers is announced on commit.
    create function station_notify_vehicle() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' or new.station_id is distinct from old.station_id or new.status is distinct from old.status then
        if new.station_id is not null then
          perform pg_notify('station_changed', json_build_object('tenantId', new.tenant_id, 'stationId', new.station_id)::text);
        end if;
        if tg_op = 'UPDATE' and old.station_id is not null and old.station_id is distinct from new.station_id then
          perform pg_notify('station_changed', json_build_object('tenantId', old.tenant_id, 'stationId', old.station_id)::text);
        end if;
      end if;
      return null;
    end $$;
    create trigger vehicle_station_notify after insert or update on vehicle
      for each row execute function station_notify_vehicle();

    create function station_notify_reservation() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' or new.status is distinct from old.status then
        perform pg_notify('station_changed', json_build_object('tenantId', new.tenant_id, 'stationId', new.station_id)::text);
      end if;
      return null;
    end $$;
    create trigger vehicle_reservation_notify after insert or update on vehicle_reservation
      for each row execute function station_notify_reservation();
  `.execute(db);

  // Narrow views for people who may not read reservations or devices: busy periods without
  // the account, and the battery of a vehicle without anything else of its device. Both run
  // as swf_availability (see the foundation's busy_space_ids).
  await sql`
    create function vehicle_busy_periods(p_vehicle_ids uuid[], p_from timestamptz, p_to timestamptz)
      returns table (vehicle_id uuid, station_id uuid, starts_at timestamptz, ends_at timestamptz)
      language sql stable security definer set search_path = public as $$
        select r.vehicle_id, r.station_id, r.starts_at, r.ends_at from vehicle_reservation r
        where r.vehicle_id = any(p_vehicle_ids)
          and r.period && tstzrange(p_from, p_to, '[)')
          and r.status in ('confirmed', 'active')
        order by r.vehicle_id, r.starts_at
      $$;
    alter function vehicle_busy_periods(uuid[], timestamptz, timestamptz) owner to swf_availability;

    create function vehicle_public_state(p_vehicle_ids uuid[])
      returns table (vehicle_id uuid, battery_percent real, last_seen_at timestamptz, online boolean)
      language sql stable security definer set search_path = public as $$
        select v.id, d.battery_percent, d.last_seen_at, d.online
        from vehicle v join device d on d.tenant_id = v.tenant_id and d.id = v.device_id
        where v.id = any(p_vehicle_ids)
      $$;
    alter function vehicle_public_state(uuid[]) owner to swf_availability;
  `.execute(db);

  await sql`
    alter table mobility_station enable row level security;
    alter table mobility_station force row level security;
    -- Anonymous readers with a town set (the public GBFS feed of that town) see only that town.
    create policy mobility_station_read on mobility_station for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or (app_role() in ('commuter', 'anonymous') and (app_tenant() is null or tenant_id = app_tenant())));
    create policy mobility_station_insert on mobility_station for insert with check (app_can_manage(tenant_id));
    create policy mobility_station_update on mobility_station for update
      using (app_can_manage(tenant_id)) with check (app_can_manage(tenant_id));

    alter table vehicle_type enable row level security;
    alter table vehicle_type force row level security;
    create policy vehicle_type_read on vehicle_type for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or (app_role() in ('commuter', 'anonymous') and (app_tenant() is null or tenant_id = app_tenant())));
    create policy vehicle_type_insert on vehicle_type for insert with check (app_can_manage(tenant_id));
    create policy vehicle_type_update on vehicle_type for update
      using (app_can_manage(tenant_id)) with check (app_can_manage(tenant_id));

    alter table vehicle enable row level security;
    alter table vehicle force row level security;
    create policy vehicle_read on vehicle for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or (app_role() in ('commuter', 'anonymous') and status <> 'retired'
          and (app_tenant() is null or tenant_id = app_tenant())));
    create policy vehicle_availability_read on vehicle for select to swf_availability using (true);
    create policy vehicle_insert on vehicle for insert with check (app_can_manage(tenant_id));
    -- A commuter moves a vehicle only while holding a live reservation of it (start and end of a trip).
    create policy vehicle_update on vehicle for update
      using (app_can_manage(tenant_id) or (app_role() = 'commuter' and exists (
        select 1 from vehicle_reservation r where r.vehicle_id = vehicle.id and r.account_id = app_account()
          and r.status in ('confirmed', 'active'))))
      with check (app_can_manage(tenant_id) or (app_role() = 'commuter' and exists (
        select 1 from vehicle_reservation r where r.vehicle_id = vehicle.id and r.account_id = app_account()
          and r.status in ('confirmed', 'active'))));

    alter table vehicle_reservation enable row level security;
    alter table vehicle_reservation force row level security;
    create policy vehicle_reservation_read on vehicle_reservation for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or (app_role() = 'commuter' and account_id = app_account()));
    create policy vehicle_reservation_availability on vehicle_reservation for select to swf_availability using (true);
    create policy vehicle_reservation_insert on vehicle_reservation for insert with check (
      app_role() = 'system' or (app_role() = 'commuter' and account_id = app_account()));
    create policy vehicle_reservation_update on vehicle_reservation for update
      using (app_can_manage(tenant_id) or (app_role() = 'commuter' and account_id = app_account()))
      with check (app_can_manage(tenant_id) or (app_role() = 'commuter' and account_id = app_account()));

    alter table trip enable row level security;
    alter table trip force row level security;
    create policy trip_read on trip for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or (app_role() = 'commuter' and account_id = app_account()));
    create policy trip_insert on trip for insert with check (
      app_role() = 'system' or (app_role() = 'commuter' and account_id = app_account()));
    create policy trip_update on trip for update
      using (app_can_manage(tenant_id) or (app_role() = 'commuter' and account_id = app_account()))
      with check (app_can_manage(tenant_id) or (app_role() = 'commuter' and account_id = app_account()));

    -- The rider reads the telematics of the vehicle they ride, for the length of the trip only.
    -- received_at (our clock), not the device's own time stamp: a device clock running late
    -- must not hide the lock closing from the trip it belongs to.
    create policy device_rider_read on device for select using (
      app_role() = 'commuter' and exists (
        select 1 from trip t join vehicle v on v.id = t.vehicle_id
        where t.account_id = app_account() and t.status in ('starting', 'active')
          and v.tenant_id = device.tenant_id and v.device_id = device.id));
    create policy device_event_rider_read on device_event for select using (
      app_role() = 'commuter' and exists (
        select 1 from trip t join vehicle v on v.id = t.vehicle_id
        where t.account_id = app_account() and t.status in ('starting', 'active')
          and v.tenant_id = device_event.tenant_id and v.device_id = device_event.device_id
          and device_event.received_at >= t.requested_at));
    create policy sensor_reading_rider_read on sensor_reading for select using (
      app_role() = 'commuter' and exists (
        select 1 from trip t join vehicle v on v.id = t.vehicle_id
        where t.account_id = app_account() and t.status in ('starting', 'active')
          and v.tenant_id = sensor_reading.tenant_id and v.device_id = sensor_reading.device_id
          and sensor_reading.received_at >= t.requested_at));
    create policy device_availability_read on device for select to swf_availability using (true);

    grant select, insert, update on mobility_station, vehicle_type, vehicle, vehicle_reservation, trip to swf_app;
    grant select (vehicle_id, station_id, starts_at, ends_at, period, status) on vehicle_reservation to swf_availability;
    grant select (id, tenant_id, device_id) on vehicle to swf_availability;
    grant select (tenant_id, id, battery_percent, last_seen_at, online) on device to swf_availability;
    grant execute on function vehicle_busy_periods(uuid[], timestamptz, timestamptz) to swf_app;
    grant execute on function vehicle_public_state(uuid[]) to swf_app;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
