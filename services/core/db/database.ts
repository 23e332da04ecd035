import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';

/**
 * The row shapes of every table, as Kysely sees them. Domain code never passes these
 * around: repositories map rows to domain types (see the *RowTo* mappers).
 */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface TenantTable {
  id: string;
  name: string;
  hold_minutes: Generated<number>;
  max_booking_days: Generated<number>;
  access_grace_minutes: Generated<number>;
  timezone: Generated<string>;
  /** A vehicle may be returned at another station of the town (mobility stations). */
  one_way_returns: Generated<boolean>;
  no_show_grace_minutes: Generated<number>;
  door_open_alert_minutes: Generated<number>;
  battery_low_percent: Generated<number>;
  offline_alert_minutes: Generated<number>;
  cancellation_refund_policy: Generated<'full' | 'partial' | 'none'>;
  cancellation_refund_percent: Generated<number>;
  merchant_address: string | null;
  vat_id: string | null;
  created_at: CreatedAt;
}

export interface AccountTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  name: string | null;
  locale: Generated<'de' | 'en'>;
  staff_tenant_id: string | null;
  staff_role: 'operator' | 'planner' | 'admin' | null;
  created_at: CreatedAt;
}

export interface SiteTable {
  id: Generated<string>;
  tenant_id: string;
  kind: Generated<string>;
  name: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  lat: number;
  lon: number;
  opening_hours: string | null;
  external_ref: string | null;
  retired_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Mobility stations: the modes a site of kind mobility_station groups (services/stations). */
export interface MobilityStationTable {
  site_id: string;
  tenant_id: string;
  site_kind: Generated<string>;
  vehicle_capacity: Generated<number>;
  accepts_returns: Generated<boolean>;
  is_renting: Generated<boolean>;
  charging_points: Generated<number>;
  bus_stop_ref: string | null;
  bus_stop_name: string | null;
  bike_garage_site_id: string | null;
  bike_garage_kind: ColumnType<string | null, never, never>;
  bench_site_id: string | null;
  bench_kind: ColumnType<string | null, never, never>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface VehicleTypeTable {
  id: Generated<string>;
  tenant_id: string;
  code: string;
  name: string;
  form_factor: string;
  propulsion: string;
  max_range_meters: number | null;
  rider_capacity: number | null;
  cargo_load_kg: number | null;
  cargo_volume_liters: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface VehicleTable {
  id: Generated<string>;
  tenant_id: string;
  vehicle_type_id: string;
  label: string;
  device_id: string;
  home_station_id: string;
  station_id: string | null;
  status: Generated<string>;
  public_id: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface VehicleReservationTable {
  id: Generated<string>;
  tenant_id: string;
  vehicle_id: string;
  station_id: string;
  account_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  period: ColumnType<string, never, never>;
  status: Generated<string>;
  idempotency_key: string;
  request_hash: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TripTable {
  id: Generated<string>;
  tenant_id: string;
  reservation_id: string;
  vehicle_id: string;
  account_id: string;
  status: Generated<string>;
  start_station_id: string;
  end_station_id: string | null;
  requested_at: Timestamp;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  duration_seconds: number | null;
  distance_meters: number | null;
  distance_source: string | null;
  position_confirmed: boolean | null;
  price_status: Generated<string>;
  price_cents: number | null;
  price_currency: string | null;
  tariff_id: string | null;
  price_vat_cents: number | null;
  price_vat_rate_bp: number | null;
  price_lines: ColumnType<unknown, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DeviceTable {
  tenant_id: string;
  id: string;
  kind: Generated<string>;
  created_at: CreatedAt;
  name: string | null;
  /** Readable only as database role swf_bridge. */
  secret: string | null;
  lorawan_dev_eui: string | null;
  lorawan_profile: string | null;
  /** 'tts' | 'chirpstack': where downlinks to a LoRaWAN lock go (migration 0410). */
  lorawan_network: string | null;
  lorawan_application_id: string | null;
  /** The Things Stack end-device id (TTS topics name it, not the DevEUI). */
  lorawan_device_id: string | null;
  lorawan_downlink_seq: Generated<string>;
  online: boolean | null;
  last_seen_at: Timestamp | null;
  door_open: boolean | null;
  occupied: boolean | null;
  battery_percent: number | null;
  lock_state: string | null;
  state_changed_at: Timestamp | null;
}

export interface DeviceCommandTable {
  id: Generated<string>;
  tenant_id: string;
  device_id: string;
  space_id: string | null;
  booking_id: string | null;
  action: 'unlock' | 'lock' | 'force_unlock';
  params: ColumnType<unknown, string | undefined, string>;
  status: Generated<'pending' | 'sent' | 'acked' | 'rejected' | 'failed' | 'expired'>;
  issued_at: Timestamp;
  expires_at: Timestamp;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  device_state: string | null;
  lorawan_seq: string | null;
  requested_by: string | null;
  /** Set for commands to a shared vehicle's lock (services/stations). */
  vehicle_id: string | null;
  trip_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DeviceCommandTransitionTable {
  id: Generated<string>;
  command_id: string;
  tenant_id: string;
  status: string;
  at: CreatedAt;
  detail: string | null;
}

export interface DeviceEventTable {
  id: Generated<string>;
  tenant_id: string;
  device_id: string;
  type: string;
  at: Timestamp;
  payload: ColumnType<unknown, string | undefined, string>;
  received_at: CreatedAt;
}

export interface SensorReadingTable {
  tenant_id: string;
  device_id: string;
  at: Timestamp;
  occupied: boolean | null;
  battery_percent: number | null;
  lat: number | null;
  lon: number | null;
  payload: ColumnType<unknown, string | undefined, string>;
  received_at: CreatedAt;
}

export interface DeadLetterTable {
  id: Generated<string>;
  topic: string;
  payload: string;
  reason: string;
  received_at: CreatedAt;
}

export interface DeviceAlertTable {
  id: Generated<string>;
  tenant_id: string;
  device_id: string | null;
  space_id: string | null;
  booking_id: string | null;
  kind: 'door_open_too_long' | 'tamper' | 'jammed' | 'battery_low' | 'offline' | 'misuse' | 'overstay';
  opened_at: Timestamp;
  resolved_at: Timestamp | null;
  detail: string | null;
}

export interface SpaceTable {
  id: Generated<string>;
  tenant_id: string;
  site_id: string;
  label: string;
  type: string;
  lock_device_id: string | null;
  retired_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface BookingTable {
  id: Generated<string>;
  tenant_id: string;
  site_id: string;
  space_id: string;
  account_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  period: ColumnType<string, never, never>;
  status: Generated<string>;
  hold_expires_at: Timestamp | null;
  pin_hash: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface IdempotencyKeyTable {
  account_id: string;
  operation: string;
  key: string;
  request_hash: string;
  booking_id: string | null;
  created_at: CreatedAt;
}

export interface WaitlistEntryTable {
  id: Generated<string>;
  tenant_id: string;
  site_id: string;
  account_id: string;
  space_type: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: Generated<string>;
  notified_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface NotificationTable {
  id: Generated<string>;
  account_id: string;
  tenant_id: string | null;
  kind: string;
  subject: string;
  body: string;
  payload: ColumnType<unknown, string | undefined, string>;
  read_at: Timestamp | null;
  email_status: Generated<string>;
  email_attempts: Generated<number>;
  email_sent_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface BookingEventTable {
  id: Generated<string>;
  booking_id: string;
  tenant_id: string;
  site_id: string;
  space_id: string;
  old_status: string | null;
  new_status: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  processed_at: Timestamp | null;
  created_at: CreatedAt;
}

/** Per-town tariff by space type; a null unit price means the unit is not offered. */
export interface TariffTable {
  id: Generated<string>;
  tenant_id: string;
  /** Exactly one of space_type (bike boxes) and form_factor (shared vehicles) is set. */
  space_type: string | null;
  form_factor: string | null;
  name: string;
  hour_cents: number | null;
  day_cents: number | null;
  week_cents: number | null;
  month_cents: number | null;
  subscription_month_cents: number | null;
  deposit_cents: Generated<number>;
  vat_rate_bp: number;
  retired_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PaymentTable {
  id: Generated<string>;
  tenant_id: string;
  booking_id: string;
  account_id: string;
  subscription_id: string | null;
  method: 'stripe' | 'pay_on_site' | 'free';
  status: 'requires_payment' | 'failed' | 'succeeded' | 'cancelled' | 'due_on_site';
  amount_cents: number;
  vat_cents: number;
  vat_rate_bp: number;
  deposit_cents: Generated<number>;
  lines: ColumnType<unknown, string | undefined, string>;
  refunded_cents: Generated<number>;
  stripe_payment_intent_id: string | null;
  client_secret: string | null;
  stripe_payment_method_id: string | null;
  failure_message: string | null;
  receipt_number: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  started_at: Timestamp;
  paid_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RefundTable {
  id: Generated<string>;
  payment_id: string;
  tenant_id: string;
  account_id: string;
  amount_cents: number;
  reason: 'cancellation' | 'late_payment' | 'deposit';
  status: Generated<'pending' | 'submitted' | 'succeeded' | 'failed'>;
  stripe_refund_id: string | null;
  failure_message: string | null;
  attempts: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StripeEventTable {
  id: string;
  type: string;
  stripe_created_at: Timestamp;
  received_at: CreatedAt;
}

export interface PaymentCustomerTable {
  account_id: string;
  stripe_customer_id: string;
  created_at: CreatedAt;
}

export interface SubscriptionTable {
  id: Generated<string>;
  tenant_id: string;
  site_id: string;
  space_id: string;
  account_id: string;
  tariff_id: string | null;
  price_cents: number;
  vat_rate_bp: number;
  status: Generated<'incomplete' | 'active' | 'ended'>;
  cancel_at_period_end: Generated<boolean>;
  end_reason: 'cancelled' | 'renewal_failed' | 'space_taken' | 'not_paid' | null;
  first_booking_id: string;
  current_booking_id: string;
  next_booking_id: string | null;
  current_period_start: Timestamp;
  current_period_end: Timestamp;
  stripe_payment_method_id: string | null;
  ended_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface Database {
  tenant: TenantTable;
  account: AccountTable;
  site: SiteTable;
  mobility_station: MobilityStationTable;
  vehicle_type: VehicleTypeTable;
  vehicle: VehicleTable;
  vehicle_reservation: VehicleReservationTable;
  trip: TripTable;
  device: DeviceTable;
  space: SpaceTable;
  booking: BookingTable;
  idempotency_key: IdempotencyKeyTable;
  waitlist_entry: WaitlistEntryTable;
  notification: NotificationTable;
  booking_event: BookingEventTable;
  device_command: DeviceCommandTable;
  device_command_transition: DeviceCommandTransitionTable;
  device_event: DeviceEventTable;
  sensor_reading: SensorReadingTable;
  dead_letter: DeadLetterTable;
  device_alert: DeviceAlertTable;
  tariff: TariffTable;
  payment: PaymentTable;
  refund: RefundTable;
  stripe_event: StripeEventTable;
  payment_customer: PaymentCustomerTable;
  subscription: SubscriptionTable;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export type TenantRow = Selectable<TenantTable>;
export type AccountRow = Selectable<AccountTable>;
export type SiteRow = Selectable<SiteTable>;
export type NewSiteRow = Insertable<SiteTable>;
export type SiteUpdate = Updateable<SiteTable>;
export type MobilityStationRow = Selectable<MobilityStationTable>;
export type VehicleTypeRow = Selectable<VehicleTypeTable>;
export type VehicleRow = Selectable<VehicleTable>;
export type VehicleReservationRow = Selectable<VehicleReservationTable>;
export type TripRow = Selectable<TripTable>;
export type SpaceRow = Selectable<SpaceTable>;
export type BookingRow = Selectable<BookingTable>;
export type WaitlistEntryRow = Selectable<WaitlistEntryTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type BookingEventRow = Selectable<BookingEventTable>;
export type DeviceRow = Selectable<DeviceTable>;
export type DeviceCommandRow = Selectable<DeviceCommandTable>;
export type DeviceAlertRow = Selectable<DeviceAlertTable>;
export type TariffRow = Selectable<TariffTable>;
export type PaymentRow = Selectable<PaymentTable>;
export type RefundRow = Selectable<RefundTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;
