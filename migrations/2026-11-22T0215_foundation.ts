import { type Kysely, sql } from 'kysely';

/**
 * Foundation: tenants, regional accounts, bike garages (sites), spaces, devices, bookings,
 * idempotency keys, waitlist, notifications and the booking event outbox.
 *
 * Security model: the services act as role `swf_app` (no BYPASSRLS, owns nothing) and set
 * app.role / app.tenant_id / app.account_id per transaction. Every table forces row-level
 * security, so even a forgotten WHERE clause cannot leak another town's rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists btree_gist`.execute(db);
  // Roles are cluster-wide: several databases (tests, towns) share them, hence the guards.
  await sql`
    do $$ begin
      if not exists (select from pg_roles where rolname = 'swf_app') then create role swf_app nologin; end if;
      if not exists (select from pg_roles where rolname = 'swf_availability') then create role swf_availability nologin; end if;
    end $$`.execute(db);
  // The connecting user must be able to switch to swf_app (set_config('role', ...)).
  await sql`grant swf_app to current_user`.execute(db);

  await sql`
    create function app_role() returns text language sql stable as
      $$ select coalesce(nullif(current_setting('app.role', true), ''), 'anonymous') $$;
    create function app_tenant() returns text language sql stable as
      $$ select nullif(current_setting('app.tenant_id', true), '') $$;
    create function app_account() returns uuid language sql stable as
      $$ select nullif(current_setting('app.account_id', true), '')::uuid $$;
    create function app_is_staff_of(t text) returns boolean language sql stable as
      $$ select app_role() in ('operator', 'planner', 'admin') and t = app_tenant() $$;
    create function app_can_manage(t text) returns boolean language sql stable as
      $$ select app_role() = 'system' or (app_role() in ('operator', 'admin') and t = app_tenant()) $$;
  `.execute(db);

  await sql`
    create table tenant (
      id text primary key check (id ~ '^[a-z][a-z0-9-]{1,40}$'),
      name text not null,
      hold_minutes integer not null default 15 check (hold_minutes between 1 and 1440),
      max_booking_days integer not null default 93 check (max_booking_days between 1 and 400),
      access_grace_minutes integer not null default 15 check (access_grace_minutes between 0 and 240),
      timezone text not null default 'Europe/Berlin',
      created_at timestamptz not null default now()
    );

    create table account (
      id uuid primary key default gen_random_uuid(),
      email text not null check (email = lower(email) and length(email) between 3 and 254),
      password_hash text not null,
      name text,
      locale text not null default 'de' check (locale in ('de', 'en')),
      staff_tenant_id text references tenant (id),
      staff_role text check (staff_role in ('operator', 'planner', 'admin')),
      created_at timestamptz not null default now(),
      constraint account_email_unique unique (email),
      constraint account_staff_complete check ((staff_tenant_id is null) = (staff_role is null))
    );

    create table site (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenant (id),
      kind text not null default 'bike_garage' check (kind in ('bike_garage', 'mobility_station', 'bench', 'logistics_hub')),
      name text not null check (length(name) between 1 and 200),
      street text,
      postal_code text,
      city text,
      lat double precision not null check (lat between -90 and 90),
      lon double precision not null check (lon between -180 and 180),
      opening_hours text,
      external_ref text,
      retired_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint site_tenant_id_unique unique (tenant_id, id),
      constraint site_external_ref_unique unique (tenant_id, external_ref)
    );
    create index site_position_idx on site (lat, lon);

    create table device (
      tenant_id text not null references tenant (id),
      id text not null check (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
      kind text not null default 'lock' check (kind in ('lock', 'sensor', 'lock_sensor', 'telematics', 'display')),
      created_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );

    create table space (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null,
      site_id uuid not null,
      label text not null check (length(label) between 1 and 60),
      type text not null check (type in ('STANDARD', 'E_BIKE_CHARGING', 'CARGO', 'LARGE')),
      lock_device_id text,
      retired_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint space_site_fk foreign key (tenant_id, site_id) references site (tenant_id, id),
      constraint space_device_fk foreign key (tenant_id, lock_device_id) references device (tenant_id, id),
      constraint space_label_unique unique (site_id, label),
      constraint space_site_unique unique (tenant_id, site_id, id)
    );
    create index space_site_idx on space (site_id, type) where retired_at is null;

    create table booking (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null,
      site_id uuid not null,
      space_id uuid not null,
      account_id uuid not null references account (id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      period tstzrange generated always as (tstzrange(starts_at, ends_at, '[)')) stored,
      status text not null default 'held'
        check (status in ('held', 'confirmed', 'active', 'completed', 'cancelled', 'expired', 'no_show')),
      hold_expires_at timestamptz,
      pin_hash text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint booking_space_fk foreign key (tenant_id, site_id, space_id) references space (tenant_id, site_id, id),
      constraint booking_period_valid check (starts_at < ends_at),
      constraint booking_hold_has_expiry check (status <> 'held' or hold_expires_at is not null),
      -- The one rule that must never break: two live bookings of one space never overlap.
      constraint booking_no_overlap exclude using gist (space_id with =, period with &&)
        where (status in ('held', 'confirmed', 'active'))
    );
    create index booking_account_idx on booking (account_id, starts_at desc);
    create index booking_tenant_idx on booking (tenant_id, starts_at);
    create index booking_sweep_idx on booking (status, hold_expires_at) where status in ('held', 'confirmed', 'active');

    create table idempotency_key (
      account_id uuid not null references account (id),
      operation text not null,
      key text not null check (length(key) between 1 and 200),
      request_hash text not null,
      booking_id uuid references booking (id),
      created_at timestamptz not null default now(),
      primary key (account_id, operation, key)
    );

    create table waitlist_entry (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null,
      site_id uuid not null,
      account_id uuid not null references account (id),
      space_type text not null check (space_type in ('STANDARD', 'E_BIKE_CHARGING', 'CARGO', 'LARGE')),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      status text not null default 'waiting' check (status in ('waiting', 'notified', 'left')),
      notified_at timestamptz,
      created_at timestamptz not null default now(),
      constraint waitlist_site_fk foreign key (tenant_id, site_id) references site (tenant_id, id),
      constraint waitlist_period_valid check (starts_at < ends_at)
    );
    create unique index waitlist_one_entry_idx on waitlist_entry (account_id, site_id, space_type, starts_at, ends_at)
      where status <> 'left';
    create index waitlist_match_idx on waitlist_entry (site_id, space_type) where status <> 'left';

    create table notification (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account (id),
      tenant_id text references tenant (id),
      kind text not null,
      subject text not null,
      body text not null,
      payload jsonb not null default '{}',
      read_at timestamptz,
      email_status text not null default 'pending' check (email_status in ('pending', 'sent', 'logged', 'failed')),
      email_attempts integer not null default 0,
      email_sent_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index notification_account_idx on notification (account_id, created_at desc);
    create index notification_mail_idx on notification (created_at) where email_status = 'pending';

    -- Outbox of booking state changes, written by a trigger in the same transaction as the change,
    -- so that waitlist releases survive a crash between commit and notification.
    create table booking_event (
      id bigint generated always as identity primary key,
      booking_id uuid not null,
      tenant_id text not null,
      site_id uuid not null,
      space_id uuid not null,
      old_status text,
      new_status text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      processed_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index booking_event_pending_idx on booking_event (id) where processed_at is null;
  `.execute(db);

  await sql`
    create function booking_record_event() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' or new.status is distinct from old.status then
        insert into booking_event (booking_id, tenant_id, site_id, space_id, old_status, new_status, starts_at, ends_at)
        values (new.id, new.tenant_id, new.site_id, new.space_id,
                case when tg_op = 'UPDATE' then old.status end, new.status, new.starts_at, new.ends_at);
        perform pg_notify('booking_changed', json_build_object(
          'tenantId', new.tenant_id, 'siteId', new.site_id, 'spaceId', new.space_id, 'status', new.status)::text);
      end if;
      new.updated_at := now();
      return new;
    end $$;
    create trigger booking_event_trigger before insert or update on booking
      for each row execute function booking_record_event();
  `.execute(db);

  // Busy periods without personal data, for availability: runs as swf_availability, which may
  // read live bookings of every account but nothing else.
  await sql`
    create function busy_space_ids(p_space_ids uuid[], p_from timestamptz, p_to timestamptz, p_now timestamptz)
      returns setof uuid language sql stable security definer set search_path = public as $$
        select distinct b.space_id from booking b
        where b.space_id = any(p_space_ids)
          and b.period && tstzrange(p_from, p_to, '[)')
          and b.status in ('held', 'confirmed', 'active')
          and not (b.status = 'held' and b.hold_expires_at <= p_now)
      $$;
    alter function busy_space_ids(uuid[], timestamptz, timestamptz, timestamptz) owner to swf_availability;
  `.execute(db);

  await sql`
    alter table tenant enable row level security;
    alter table tenant force row level security;
    create policy tenant_read on tenant for select using (true);
    create policy tenant_system on tenant for all using (app_role() = 'system') with check (app_role() = 'system');

    alter table account enable row level security;
    alter table account force row level security;
    create policy account_self on account for select using (id = app_account() or app_role() = 'system');
    create policy account_system on account for all using (app_role() = 'system') with check (app_role() = 'system');
    create policy account_self_update on account for update using (id = app_account()) with check (id = app_account());

    alter table site enable row level security;
    alter table site force row level security;
    create policy site_read on site for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or (app_role() in ('commuter', 'anonymous') and retired_at is null));
    create policy site_insert on site for insert with check (app_can_manage(tenant_id));
    create policy site_update on site for update using (app_can_manage(tenant_id)) with check (app_can_manage(tenant_id));

    alter table space enable row level security;
    alter table space force row level security;
    create policy space_read on space for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or (app_role() in ('commuter', 'anonymous') and retired_at is null));
    create policy space_insert on space for insert with check (app_can_manage(tenant_id));
    create policy space_update on space for update using (app_can_manage(tenant_id)) with check (app_can_manage(tenant_id));

    alter table device enable row level security;
    alter table device force row level security;
    create policy device_read on device for select using (app_role() = 'system' or app_is_staff_of(tenant_id));
    create policy device_insert on device for insert with check (app_can_manage(tenant_id));
    create policy device_update on device for update using (app_can_manage(tenant_id)) with check (app_can_manage(tenant_id));

    alter table booking enable row level security;
    alter table booking force row level security;
    create policy booking_read on booking for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or (app_role() = 'commuter' and account_id = app_account()));
    create policy booking_availability on booking for select to swf_availability using (true);
    create policy booking_insert on booking for insert with check (
      app_role() = 'system' or (app_role() = 'commuter' and account_id = app_account()));
    create policy booking_update on booking for update
      using (app_can_manage(tenant_id) or (app_role() = 'commuter' and account_id = app_account()))
      with check (app_can_manage(tenant_id) or (app_role() = 'commuter' and account_id = app_account()));

    alter table idempotency_key enable row level security;
    alter table idempotency_key force row level security;
    create policy idempotency_own on idempotency_key for all
      using (account_id = app_account() or app_role() = 'system')
      with check (account_id = app_account() or app_role() = 'system');

    alter table waitlist_entry enable row level security;
    alter table waitlist_entry force row level security;
    create policy waitlist_read on waitlist_entry for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id) or account_id = app_account());
    create policy waitlist_own on waitlist_entry for insert with check (
      app_role() = 'system' or (app_role() = 'commuter' and account_id = app_account()));
    create policy waitlist_update on waitlist_entry for update
      using (app_role() = 'system' or account_id = app_account())
      with check (app_role() = 'system' or account_id = app_account());

    alter table notification enable row level security;
    alter table notification force row level security;
    create policy notification_own on notification for select using (account_id = app_account() or app_role() = 'system');
    create policy notification_insert on notification for insert with check (app_role() = 'system');
    create policy notification_update on notification for update
      using (account_id = app_account() or app_role() = 'system')
      with check (account_id = app_account() or app_role() = 'system');

    -- Written by the booking trigger in whatever context changed the booking; read by the system worker.
    alter table booking_event enable row level security;
    alter table booking_event force row level security;
    create policy booking_event_insert on booking_event for insert with check (true);
    create policy booking_event_system on booking_event for all using (app_role() = 'system') with check (app_role() = 'system');
  `.execute(db);

  await sql`
    grant usage on schema public to swf_app, swf_availability;
    grant select on tenant to swf_app;
    grant insert, update on tenant to swf_app;
    grant select, insert, update on account, site, space, device, booking, idempotency_key,
      waitlist_entry, notification to swf_app;
    grant select, insert, update on booking_event to swf_app;
    grant usage on sequence booking_event_id_seq to swf_app;
    grant select (space_id, period, status, hold_expires_at) on booking to swf_availability;
    grant execute on function busy_space_ids(uuid[], timestamptz, timestamptz, timestamptz) to swf_app;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
