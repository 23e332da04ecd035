import { type Kysely, sql } from 'kysely';

/**
 * Devices over MQTT: the command outbox, command transitions, device events, time-partitioned
 * sensor readings, dead letters and alerts. The API writes commands in the same transaction as
 * the change they serve; the firmware bridge (system actor) delivers them and stores what
 * devices report.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table device
      add column name text,
      -- HMAC-SHA256 key shared with the device; commands are signed with it. Never leaves the
      -- system context: swf_app has no column privilege on it (see grants below).
      add column secret text,
      add column lorawan_dev_eui text check (lorawan_dev_eui ~ '^[0-9a-f]{16}$'),
      add column lorawan_profile text check (lorawan_profile in ('bosch-pls', 'nwave-nps', 'lock')),
      add column online boolean,
      add column last_seen_at timestamptz,
      add column door_open boolean,
      add column occupied boolean,
      add column battery_percent real check (battery_percent between 0 and 100),
      add column lock_state text,
      add column state_changed_at timestamptz;
    create unique index device_lorawan_dev_eui_idx on device (lorawan_dev_eui) where lorawan_dev_eui is not null;

    create table device_command (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null,
      device_id text not null,
      space_id uuid,
      booking_id uuid references booking (id),
      action text not null check (action in ('unlock', 'lock', 'force_unlock')),
      params jsonb not null default '{}',
      status text not null default 'pending'
        check (status in ('pending', 'sent', 'acked', 'rejected', 'failed', 'expired')),
      issued_at timestamptz not null,
      expires_at timestamptz not null,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      device_state text,
      requested_by uuid references account (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint device_command_device_fk foreign key (tenant_id, device_id) references device (tenant_id, id),
      constraint device_command_expiry check (expires_at > issued_at)
    );
    create index device_command_due_idx on device_command (next_attempt_at) where status in ('pending', 'sent');
    create index device_command_device_idx on device_command (tenant_id, device_id, created_at desc);

    create table device_command_transition (
      id bigint generated always as identity primary key,
      command_id uuid not null references device_command (id),
      tenant_id text not null,
      status text not null,
      at timestamptz not null default now(),
      detail text
    );
    create index device_command_transition_idx on device_command_transition (command_id, id);

    create table device_event (
      id bigint generated always as identity primary key,
      tenant_id text not null,
      device_id text not null,
      type text not null,
      at timestamptz not null,
      payload jsonb not null default '{}',
      received_at timestamptz not null default now()
    );
    create index device_event_device_idx on device_event (tenant_id, device_id, at desc);

    create table sensor_reading (
      tenant_id text not null,
      device_id text not null,
      at timestamptz not null,
      occupied boolean,
      battery_percent real,
      lat double precision,
      lon double precision,
      payload jsonb not null default '{}',
      received_at timestamptz not null default now()
    ) partition by range (at);
    -- A default partition takes what no monthly partition covers, so an insert never fails
    -- for want of a partition; monthly ones keep queries and retention cheap.
    create table sensor_reading_default partition of sensor_reading default;
    create index sensor_reading_device_idx on sensor_reading (tenant_id, device_id, at desc);

    create table dead_letter (
      id bigint generated always as identity primary key,
      topic text not null,
      payload text not null,
      reason text not null,
      received_at timestamptz not null default now()
    );

    create table device_alert (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null,
      device_id text,
      space_id uuid,
      booking_id uuid,
      kind text not null check (kind in
        ('door_open_too_long', 'tamper', 'jammed', 'battery_low', 'offline', 'misuse', 'overstay')),
      opened_at timestamptz not null,
      resolved_at timestamptz,
      detail text
    );
    -- One open alert per kind and device/space: raising it again is a no-op.
    create unique index device_alert_open_idx on device_alert (tenant_id, kind, coalesce(device_id, ''), coalesce(space_id::text, ''))
      where resolved_at is null;
  `.execute(db);

  await sql`
    do $$
    declare m date := date_trunc('month', now())::date;
    begin
      for i in 0..12 loop
        execute format('create table if not exists sensor_reading_%s partition of sensor_reading for values from (%L) to (%L)',
          to_char(m + make_interval(months => i), 'YYYYMM'), m + make_interval(months => i), m + make_interval(months => i + 1));
      end loop;
    end $$;
  `.execute(db);

  await sql`
    alter table tenant
      add column no_show_grace_minutes integer not null default 30 check (no_show_grace_minutes between 1 and 1440),
      add column door_open_alert_minutes integer not null default 10 check (door_open_alert_minutes between 1 and 1440),
      add column battery_low_percent integer not null default 20 check (battery_low_percent between 1 and 99),
      add column offline_alert_minutes integer not null default 15 check (offline_alert_minutes between 1 and 1440);

    alter table device_command enable row level security;
    alter table device_command force row level security;
    create policy device_command_read on device_command for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or (app_role() = 'commuter' and requested_by = app_account()));
    create policy device_command_insert on device_command for insert with check (
      app_role() = 'system' or app_can_manage(tenant_id)
      or (app_role() = 'commuter' and requested_by = app_account()));
    create policy device_command_update on device_command for update
      using (app_role() = 'system') with check (app_role() = 'system');

    alter table device_command_transition enable row level security;
    alter table device_command_transition force row level security;
    create policy device_command_transition_read on device_command_transition for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id)
      or exists (select 1 from device_command c where c.id = command_id));
    create policy device_command_transition_insert on device_command_transition for insert with check (true);

    alter table device_event enable row level security;
    alter table device_event force row level security;
    create policy device_event_read on device_event for select using (app_role() = 'system' or app_is_staff_of(tenant_id));
    create policy device_event_system on device_event for all using (app_role() = 'system') with check (app_role() = 'system');

    alter table sensor_reading enable row level security;
    alter table sensor_reading force row level security;
    create policy sensor_reading_read on sensor_reading for select using (app_role() = 'system' or app_is_staff_of(tenant_id));
    create policy sensor_reading_system on sensor_reading for all using (app_role() = 'system') with check (app_role() = 'system');

    alter table dead_letter enable row level security;
    alter table dead_letter force row level security;
    create policy dead_letter_system on dead_letter for all using (app_role() = 'system') with check (app_role() = 'system');

    alter table device_alert enable row level security;
    alter table device_alert force row level security;
    create policy device_alert_read on device_alert for select using (app_role() = 'system' or app_is_staff_of(tenant_id));
    create policy device_alert_manage on device_alert for update using (app_can_manage(tenant_id)) with check (app_can_manage(tenant_id));
    create policy device_alert_system on device_alert for insert with check (app_role() = 'system');

    -- The device secret signs commands: only the bridge's database role (swf_bridge) may read
    -- it. The API's role swf_app may write it (provisioning) and read every other column.
    do $$ begin
      if not exists (select from pg_roles where rolname = 'swf_bridge') then create role swf_bridge nologin; end if;
    end $$;
    grant swf_app to swf_bridge;
    grant swf_bridge to current_user;
    revoke select on device from swf_app;
    grant select (secret) on device to swf_bridge;
    grant select (tenant_id, id, kind, created_at, name, lorawan_dev_eui, lorawan_profile, online, last_seen_at,
      door_open, occupied, battery_percent, lock_state, state_changed_at) on device to swf_app;
    grant select, insert, update on device_command, device_event, sensor_reading, dead_letter, device_alert to swf_app;
    grant select, insert on device_command_transition to swf_app;
    grant usage on all sequences in schema public to swf_app;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
