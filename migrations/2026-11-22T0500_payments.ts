import { type Kysely, sql } from 'kysely';

/**
 * Tariffs and payments: per-town tariffs by space type, one payment per booking (Stripe, pay
 * on site or free), refunds, Stripe webhook events (stored once: the primary key decides a
 * replay), Stripe customers and monthly subscriptions. Towns set their cancellation refund
 * policy and the merchant details printed on receipts.
 *
 * Money is integer euro cents; VAT rates are basis points (1900 = 19 %). Payments and refunds
 * are written by the system actor only: the service checks ownership through row-level
 * security first, then records money under its own authority.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table tenant
      add column cancellation_refund_policy text not null default 'full'
        check (cancellation_refund_policy in ('full', 'partial', 'none')),
      add column cancellation_refund_percent integer not null default 50
        check (cancellation_refund_percent between 0 and 100),
      add column merchant_address text check (length(merchant_address) <= 300),
      add column vat_id text check (vat_id ~ '^[A-Z]{2}[A-Za-z0-9]{2,13}$');

    create table tariff (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenant (id),
      space_type text not null check (space_type in ('STANDARD', 'E_BIKE_CHARGING', 'CARGO', 'LARGE')),
      name text not null check (length(name) between 1 and 120),
      -- A null price: the unit is not offered. 0: free. Capped at 1,000 € per unit.
      hour_cents integer check (hour_cents between 0 and 100000),
      day_cents integer check (day_cents between 0 and 100000),
      week_cents integer check (week_cents between 0 and 100000),
      month_cents integer check (month_cents between 0 and 100000),
      subscription_month_cents integer check (subscription_month_cents between 0 and 100000),
      deposit_cents integer not null default 0 check (deposit_cents between 0 and 100000),
      vat_rate_bp integer not null check (vat_rate_bp between 0 and 10000),
      retired_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint tariff_offers_something check (
        coalesce(hour_cents, day_cents, week_cents, month_cents, subscription_month_cents) is not null)
    );
    -- One tariff in force per town and space type; retired ones stay for the record.
    create unique index tariff_active_idx on tariff (tenant_id, space_type) where retired_at is null;

    create sequence receipt_number_seq;

    create table payment (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenant (id),
      booking_id uuid not null references booking (id),
      account_id uuid not null references account (id),
      subscription_id uuid,
      method text not null check (method in ('stripe', 'pay_on_site', 'free')),
      status text not null
        check (status in ('requires_payment', 'failed', 'succeeded', 'cancelled', 'due_on_site')),
      amount_cents integer not null check (amount_cents >= 0),
      vat_cents integer not null check (vat_cents >= 0 and vat_cents <= amount_cents),
      vat_rate_bp integer not null check (vat_rate_bp between 0 and 10000),
      deposit_cents integer not null default 0 check (deposit_cents >= 0),
      lines jsonb not null default '[]',
      refunded_cents integer not null default 0,
      stripe_payment_intent_id text,
      client_secret text,
      stripe_payment_method_id text,
      failure_message text,
      receipt_number bigint,
      started_at timestamptz not null,
      paid_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint payment_one_per_booking unique (booking_id),
      constraint payment_intent_unique unique (stripe_payment_intent_id),
      constraint payment_receipt_unique unique (receipt_number),
      constraint payment_refund_bounds check (refunded_cents between 0 and amount_cents + deposit_cents),
      constraint payment_paid_has_time check (status <> 'succeeded' or paid_at is not null)
    );
    create index payment_account_idx on payment (account_id, created_at desc);
    create index payment_open_idx on payment (status) where status in ('requires_payment', 'failed');

    create table refund (
      id uuid primary key default gen_random_uuid(),
      payment_id uuid not null references payment (id),
      tenant_id text not null references tenant (id),
      account_id uuid not null references account (id),
      amount_cents integer not null check (amount_cents > 0),
      reason text not null check (reason in ('cancellation', 'late_payment', 'deposit')),
      status text not null default 'pending' check (status in ('pending', 'submitted', 'succeeded', 'failed')),
      stripe_refund_id text unique,
      failure_message text,
      attempts integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    -- Each reason refunds a payment at most once, whatever number of events or workers ask.
    create unique index refund_once_idx on refund (payment_id, reason);
    create index refund_pending_idx on refund (created_at) where status = 'pending';

    -- Every webhook event we acted on; a replay hits the primary key and changes nothing.
    create table stripe_event (
      id text primary key check (id ~ '^evt_[A-Za-z0-9_]+$'),
      type text not null,
      stripe_created_at timestamptz not null,
      received_at timestamptz not null default now()
    );

    create table payment_customer (
      account_id uuid primary key references account (id),
      stripe_customer_id text not null unique,
      created_at timestamptz not null default now()
    );

    create table subscription (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null references tenant (id),
      site_id uuid not null,
      space_id uuid not null,
      account_id uuid not null references account (id),
      tariff_id uuid references tariff (id),
      price_cents integer not null check (price_cents between 0 and 100000),
      vat_rate_bp integer not null check (vat_rate_bp between 0 and 10000),
      status text not null default 'incomplete' check (status in ('incomplete', 'active', 'ended')),
      cancel_at_period_end boolean not null default false,
      end_reason text check (end_reason in ('cancelled', 'renewal_failed', 'space_taken', 'not_paid')),
      first_booking_id uuid not null references booking (id),
      current_booking_id uuid not null references booking (id),
      next_booking_id uuid references booking (id),
      current_period_start timestamptz not null,
      current_period_end timestamptz not null,
      stripe_payment_method_id text,
      ended_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- Starting a subscription twice with the same booking (a retried request) finds this row.
      constraint subscription_first_booking_unique unique (first_booking_id),
      constraint subscription_period_valid check (current_period_start < current_period_end)
    );
    create index subscription_account_idx on subscription (account_id, created_at desc);
    create index subscription_due_idx on subscription (current_period_end) where status <> 'ended';
    alter table payment add constraint payment_subscription_fk foreign key (subscription_id) references subscription (id);
  `.execute(db);

  await sql`
    alter table tariff enable row level security;
    alter table tariff force row level security;
    create policy tariff_read on tariff for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id) or retired_at is null);
    create policy tariff_insert on tariff for insert with check (app_can_manage(tenant_id));
    create policy tariff_update on tariff for update using (app_can_manage(tenant_id)) with check (app_can_manage(tenant_id));

    alter table payment enable row level security;
    alter table payment force row level security;
    create policy payment_read on payment for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id) or (app_role() = 'commuter' and account_id = app_account()));
    create policy payment_system on payment for all using (app_role() = 'system') with check (app_role() = 'system');

    alter table refund enable row level security;
    alter table refund force row level security;
    create policy refund_read on refund for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id) or (app_role() = 'commuter' and account_id = app_account()));
    create policy refund_system on refund for all using (app_role() = 'system') with check (app_role() = 'system');

    alter table subscription enable row level security;
    alter table subscription force row level security;
    create policy subscription_read on subscription for select using (
      app_role() = 'system' or app_is_staff_of(tenant_id) or (app_role() = 'commuter' and account_id = app_account()));
    create policy subscription_system on subscription for all using (app_role() = 'system') with check (app_role() = 'system');

    alter table stripe_event enable row level security;
    alter table stripe_event force row level security;
    create policy stripe_event_system on stripe_event for all using (app_role() = 'system') with check (app_role() = 'system');

    alter table payment_customer enable row level security;
    alter table payment_customer force row level security;
    create policy payment_customer_system on payment_customer for all
      using (app_role() = 'system') with check (app_role() = 'system');

    grant select, insert, update on tariff, payment, refund, subscription, stripe_event, payment_customer to swf_app;
    grant usage on sequence receipt_number_seq to swf_app;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore from a backup instead.');
}
