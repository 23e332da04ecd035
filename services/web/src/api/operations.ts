import type { ErrorResult } from './client.ts';

/**
 * The GraphQL operations the app sends, with the shapes it reads back (written by hand
 * against schema/schema.graphql; the browser tests run them against the real API).
 */

export const SPACE_TYPES = ['STANDARD', 'E_BIKE_CHARGING', 'CARGO', 'LARGE'] as const;
export type SpaceType = (typeof SPACE_TYPES)[number];
export type BookingStatus =
  | 'HELD'
  | 'CONFIRMED'
  | 'ACTIVE'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'NO_SHOW';

export interface Account {
  id: string;
  email: string;
  name: string | null;
  locale: 'DE' | 'EN';
  staffRole: 'OPERATOR' | 'PLANNER' | 'ADMIN' | null;
  staffTenant: { id: string; name: string } | null;
}

const ACCOUNT = 'id email name locale staffRole staffTenant { id name }';

export const ME = `query Me { me { ${ACCOUNT} } }`;

export const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) {
    __typename
    ... on AuthPayload { token account { ${ACCOUNT} } }
    ... on ValidationError { field }
    ... on Error { message }
  }
}`;

export const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on AuthPayload { token account { ${ACCOUNT} } }
    ... on Error { message }
  }
}`;

export type AuthResult = { __typename: 'AuthPayload'; token: string; account: Account } | ErrorResult;

export interface Site {
  id: string;
  name: string;
  kind: string;
  position: { lat: number; lon: number };
  address: { street: string | null; postalCode: string | null; city: string | null };
  openingHours: string | null;
  tenant: { id: string; name: string; holdMinutes: number; accessGraceMinutes: number };
}

const SITE = `id name kind position { lat lon } address { street postalCode city } openingHours
  tenant { id name holdMinutes accessGraceMinutes }`;

export interface FreeSpace {
  id: string;
  label: string;
  type: SpaceType;
}

export interface SiteAvailability {
  distanceKm: number | null;
  freeCount: number;
  freeSpaces: FreeSpace[];
  site: Site;
}

export const AVAILABILITY_NEAR = `query AvailabilityNear($near: GeoPointInput!, $radiusKm: Float!,
    $from: DateTime!, $to: DateTime!, $spaceType: SpaceType) {
  availabilityNear(near: $near, radiusKm: $radiusKm, from: $from, to: $to, spaceType: $spaceType) {
    distanceKm freeCount freeSpaces { id label type } site { ${SITE} }
  }
}`;

export const TENANTS = `query Tenants { tenants { id name } }`;

export const SITE_AVAILABILITY = `query SiteAvailability($id: ID!, $from: DateTime!, $to: DateTime!) {
  site(id: $id) { ${SITE} }
  availability(siteId: $id, from: $from, to: $to) { id label type }
}`;

export const AVAILABILITY_CHANGED = `subscription AvailabilityChanged($siteId: ID!) {
  availabilityChanged(siteId: $siteId) { siteId spaceId bookingStatus at }
}`;

export type PaymentStatus =
  | 'REQUIRES_PAYMENT'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'DUE_ON_SITE'
  | 'CANCELLED'
  | 'REFUNDED'
  | 'PARTIALLY_REFUNDED';

export interface Payment {
  id: string;
  status: PaymentStatus;
  method: 'FREE' | 'PAY_ON_SITE' | 'STRIPE';
  amountCents: number;
  depositCents: number;
  totalCents: number;
  refundedCents: number;
  currency: string;
  /** Only for the owner while the payment is open: for Stripe.js. */
  clientSecret: string | null;
  failureMessage: string | null;
  receipt: { number: string; htmlUrl: string } | null;
}

const PAYMENT = `id status method amountCents depositCents totalCents refundedCents currency clientSecret
  failureMessage receipt { number htmlUrl }`;

export interface Booking {
  id: string;
  status: BookingStatus;
  payment: Payment | null;
  from: string;
  to: string;
  holdExpiresAt: string | null;
  createdAt: string;
  accessPin?: string | null;
  qrToken: string | null;
  space: { id: string; label: string; type: SpaceType };
  site: { id: string; name: string; tenant: { id: string; name: string; accessGraceMinutes: number } };
}

const BOOKING = `id status from to holdExpiresAt createdAt qrToken payment { ${PAYMENT} }
  space { id label type } site { id name tenant { id name accessGraceMinutes } }`;

export type BookingResult = ({ __typename: 'Booking' } & Booking) | ErrorResult;

export const CREATE_BOOKING = `mutation CreateBooking($input: CreateBookingInput!) {
  createBooking(input: $input) {
    __typename
    ... on Booking { ${BOOKING} accessPin }
    ... on ValidationError { field }
    ... on Error { message }
  }
}`;

export const CONFIRM_BOOKING = `mutation ConfirmBooking($id: ID!) {
  confirmBooking(id: $id) { __typename ... on Booking { ${BOOKING} } ... on Error { message } }
}`;

export const CANCEL_BOOKING = `mutation CancelBooking($id: ID!) {
  cancelBooking(id: $id) { __typename ... on Booking { ${BOOKING} } ... on Error { message } }
}`;

export const BOOKING_QUERY = `query Booking($id: ID!) { booking(id: $id) { ${BOOKING} } }`;

export interface LockCommand {
  id: string;
  status: 'PENDING' | 'SENT' | 'ACKED' | 'REJECTED' | 'FAILED' | 'EXPIRED';
  deviceState: string | null;
}

export type UnlockResult = ({ __typename: 'LockCommand' } & LockCommand) | ErrorResult;

export const UNLOCK = `mutation Unlock($bookingId: ID!) {
  unlock(bookingId: $bookingId) {
    __typename
    ... on LockCommand { id status deviceState }
    ... on Error { message }
  }
}`;

export const JOIN_WAITLIST = `mutation JoinWaitlist($input: JoinWaitlistInput!) {
  joinWaitlist(input: $input) { __typename ... on WaitlistEntry { id status } ... on Error { message } }
}`;

export interface WaitlistEntry {
  id: string;
  from: string;
  to: string;
  spaceType: SpaceType;
  status: string;
  notifiedAt: string | null;
  site: { id: string; name: string };
}

export interface Notification {
  id: string;
  subject: string;
  body: string;
  createdAt: string;
  read: boolean;
}

/** A booking in a list: no QR token (each one is signed on request), less to send. */
export type BookingSummary = Omit<Booking, 'qrToken' | 'holdExpiresAt' | 'createdAt' | 'payment'>;
const BOOKING_SUMMARY =
  'id status from to space { id label type } site { id name tenant { id name accessGraceMinutes } }';

/*
 * Page sizes stay under the API's query cost limit (GRAPHQL_MAX_COST, default 5000), which
 * counts `first` as a multiplier: 20 bookings with their site and space cost about 2,000.
 */
export const MY_BOOKINGS = `query MyBookings { myBookings(first: 20) { edges { node { ${BOOKING_SUMMARY} } } } }`;

export const MY_NOTIFICATIONS = `query MyNotifications {
  myNotifications(first: 20) { edges { node { id subject body createdAt read } } }
}`;

export const MY_WAITLIST = `query MyWaitlist {
  myWaitlist { id from to spaceType status notifiedAt site { id name } }
}`;

export const MARK_NOTIFICATION_READ = `mutation MarkRead($id: ID!) {
  markNotificationRead(id: $id) { __typename ... on Error { message } }
}`;

export const LEAVE_WAITLIST = `mutation LeaveWaitlist($id: ID!) {
  leaveWaitlist(id: $id) { __typename ... on Error { message } }
}`;

export interface Connection<T> {
  edges: { node: T }[];
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
}

export interface StaffSite {
  id: string;
  name: string;
  retired: boolean;
}

export const STAFF_SITES = `query StaffSites { sites(first: 100) { edges { node { id name retired } } } }`;

export interface StaffSpace {
  id: string;
  label: string;
  type: SpaceType;
  lockDeviceId: string | null;
  retired: boolean;
}

export const SITE_SPACES = `query SiteSpaces($id: ID!) {
  site(id: $id) { id spaces(first: 100) { edges { node { id label type lockDeviceId retired } } } }
}`;

export interface Device {
  id: string;
  name: string | null;
  kind: string;
  online: boolean | null;
  batteryPercent: number | null;
  doorOpen: boolean | null;
  lockState: string | null;
  lastSeenAt: string | null;
}

export const DEVICES = `query Devices {
  devices(first: 100) { edges { node { id name kind online batteryPercent doorOpen lockState lastSeenAt } } }
}`;

export type AlertKind =
  | 'BATTERY_LOW'
  | 'DOOR_OPEN_TOO_LONG'
  | 'JAMMED'
  | 'MISUSE'
  | 'OFFLINE'
  | 'OVERSTAY'
  | 'TAMPER';

export interface DeviceAlert {
  id: string;
  kind: AlertKind;
  deviceId: string | null;
  spaceId: string | null;
  detail: string | null;
  openedAt: string;
}

const ALERT = 'id kind deviceId spaceId detail openedAt';

export const DEVICE_ALERTS = `query DeviceAlerts { deviceAlerts(first: 50) { edges { node { ${ALERT} } } } }`;

export const DEVICE_ALERT_RAISED = `subscription DeviceAlertRaised { deviceAlertRaised { ${ALERT} } }`;

export const RESOLVE_ALERT = `mutation ResolveAlert($id: ID!) {
  resolveDeviceAlert(id: $id) { __typename ... on Error { message } }
}`;

export const TENANT_BOOKINGS = `query TenantBookings($from: DateTime!, $to: DateTime!, $after: String) {
  tenantBookings(from: $from, to: $to, first: 50, after: $after) {
    edges { node { id status from to space { id label } site { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface PaymentConfig {
  mode: 'STRIPE' | 'PAY_ON_SITE';
  publishableKey: string | null;
}

export const PAYMENT_CONFIG = 'query PaymentConfig { paymentConfig { mode publishableKey } }';

export type ChargeUnit = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'SUBSCRIPTION_MONTH';

export interface Quote {
  free: boolean;
  currency: string;
  amountCents: number;
  depositCents: number;
  totalCents: number;
  vatCents: number;
  lines: { unit: ChargeUnit; quantity: number; unitPriceCents: number; amountCents: number }[];
}

export type QuoteResult = ({ __typename: 'Quote' } & Quote) | ErrorResult;

export const QUOTE = `query Quote($spaceId: ID!, $from: DateTime!, $to: DateTime!) {
  quote(spaceId: $spaceId, from: $from, to: $to) {
    __typename
    ... on Quote { free currency amountCents depositCents totalCents vatCents lines { unit quantity unitPriceCents amountCents } }
    ... on Error { message }
  }
}`;

export interface CancellationQuote {
  refundCents: number;
  depositRefundCents: number;
  percent: number;
  policy: 'FULL' | 'PARTIAL' | 'NONE';
}

export type CancellationQuoteResult = ({ __typename: 'CancellationQuote' } & CancellationQuote) | ErrorResult;

export const CANCELLATION_QUOTE = `query CancellationQuote($id: ID!) {
  cancellationQuote(bookingId: $id) {
    __typename
    ... on CancellationQuote { refundCents depositRefundCents percent policy }
    ... on Error { message }
  }
}`;

export interface Tariff {
  id: string;
  name: string;
  spaceType: SpaceType;
  currency: string;
  hourCents: number | null;
  dayCents: number | null;
  weekCents: number | null;
  monthCents: number | null;
  subscriptionMonthCents: number | null;
  depositCents: number;
  vatRateBasisPoints: number;
  retired: boolean;
}

export const TARIFFS = `query Tariffs($tenant: String) {
  tariffs(tenant: $tenant, includeRetired: false) {
    id name spaceType currency hourCents dayCents weekCents monthCents subscriptionMonthCents depositCents
    vatRateBasisPoints retired
  }
}`;

/*
 * Garage administration by a town's operators: sites, spaces and tariffs. Each mutation
 * answers the object, or a typed error (ValidationError names the input field to correct).
 */

export type AdminResult<T> = ({ __typename: string } & T) | ErrorResult;

/** `mutation CreateSite($input: SiteInput!) { createSite(input: $input) { … } }` and its kin. */
function adminMutation(
  field: string,
  variables: Record<string, string>,
  type: string,
  fields: string,
): string {
  const name = field[0]!.toUpperCase() + field.slice(1);
  const declared = Object.entries(variables).map(([v, t]) => `$${v}: ${t}`);
  const passed = Object.keys(variables).map((v) => `${v}: $${v}`);
  return `mutation ${name}(${declared.join(', ')}) {
  ${field}(${passed.join(', ')}) {
    __typename
    ... on ${type} { ${fields} }
    ... on ValidationError { field }
    ... on Error { message }
  }
}`;
}

/** createX(input: XInput!), updateX(id: ID!, input: XPatchInput!) and retireX(id: ID!). */
function adminMutations(type: 'Site' | 'Space' | 'Tariff', fields: string): [string, string, string] {
  return [
    adminMutation(`create${type}`, { input: `${type}Input!` }, type, fields),
    adminMutation(`update${type}`, { id: 'ID!', input: `${type}PatchInput!` }, type, fields),
    adminMutation(`retire${type}`, { id: 'ID!' }, type, fields),
  ];
}

export interface AdminSite extends StaffSite {
  position: { lat: number; lon: number };
  address: { street: string | null; postalCode: string | null; city: string | null };
  openingHours: string | null;
}

const ADMIN_SITE = 'id name retired position { lat lon } address { street postalCode city } openingHours';

/** One site of the town with what its forms edit and its spaces (STAFF_SITES lists them all). */
export const ADMIN_SITE_SPACES = `query AdminSiteSpaces($id: ID!) {
  site(id: $id) { ${ADMIN_SITE} spaces(first: 100) { edges { node { id label type lockDeviceId retired } } } }
}`;
export const [CREATE_SITE, UPDATE_SITE, RETIRE_SITE] = adminMutations('Site', ADMIN_SITE);

const ADMIN_SPACE = 'id label type lockDeviceId retired';

export const [CREATE_SPACE, UPDATE_SPACE, RETIRE_SPACE] = adminMutations('Space', ADMIN_SPACE);

const ADMIN_TARIFF = `id name spaceType currency hourCents dayCents weekCents monthCents subscriptionMonthCents
  depositCents vatRateBasisPoints retired`;

export const [CREATE_TARIFF, UPDATE_TARIFF, RETIRE_TARIFF] = adminMutations('Tariff', ADMIN_TARIFF);

/** The five prices of a tariff, in the order a form lists them. */
export const TARIFF_PRICE_FIELDS = [
  'hourCents',
  'dayCents',
  'weekCents',
  'monthCents',
  'subscriptionMonthCents',
] as const;
export type TariffPriceField = (typeof TARIFF_PRICE_FIELDS)[number];
