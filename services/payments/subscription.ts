/** Every subscription period is this long (like the MONTH tariff unit), so every renewal costs the same. */
export const SUBSCRIPTION_PERIOD_DAYS = 30;
/**
 * A renewal is charged this long before the paid period ends: time for the commuter to read
 * a failure notice (and look for another space) while the current period still runs.
 */
export const RENEWAL_LEAD_HOURS = 72;

export type SubscriptionStatus = 'incomplete' | 'active' | 'ended';
export type SubscriptionEndReason = 'cancelled' | 'renewal_failed' | 'space_taken' | 'not_paid';

/**
 * A monthly subscription of one space, renewed until cancelled. Each period is a booking:
 * `currentBookingId` is the latest paid period; `nextBookingId` a HELD booking for the
 * following period, which keeps the space for the subscriber until the renewal pays for it.
 */
export interface Subscription {
  id: string;
  tenantId: string;
  siteId: string;
  spaceId: string;
  accountId: string;
  tariffId: string | null;
  priceCents: number;
  vatRateBp: number;
  status: SubscriptionStatus;
  cancelAtPeriodEnd: boolean;
  endReason: SubscriptionEndReason | null;
  firstBookingId: string;
  currentBookingId: string;
  nextBookingId: string | null;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  stripePaymentMethodId: string | null;
  endedAt: Date | null;
  createdAt: Date;
}

export function periodEnd(start: Date): Date {
  return new Date(start.getTime() + SUBSCRIPTION_PERIOD_DAYS * 24 * 3_600_000);
}
