import { AccountService } from '../accounts/account.service.ts';
import { AccessTokens } from '../core/auth/tokens.ts';
import type { Clock } from '../core/clock.ts';
import type { StripeConfig } from '../core/config.ts';
import type { Db } from '../core/db/database.ts';
import type { Logger } from '../core/logging.ts';
import type { Secrets } from '../core/secrets.ts';
import { TenantService } from '../core/tenant.ts';
import { CommandResultWaiter } from '../devices/command-result-waiter.ts';
import { DeviceService } from '../devices/device.service.ts';
import { LockCommandService } from '../devices/lock-command.service.ts';
import { AccessService } from '../garages/access.service.ts';
import { AccessCredentials } from '../garages/access-credential.ts';
import { AvailabilityService } from '../garages/availability.service.ts';
import { AvailabilityFeed } from '../garages/availability-feed.ts';
import { BookingService } from '../garages/booking.service.ts';
import { InventoryService } from '../garages/inventory.service.ts';
import { WaitlistService } from '../garages/waitlist.service.ts';
import { NotificationService } from '../notifications/notification.service.ts';
import type { PaymentService } from '../payments/payment.service.ts';
import type { PaymentJobs } from '../payments/payment-jobs.ts';
import { createPaymentsModule } from '../payments/payments.module.ts';
import type { ReceiptService } from '../payments/receipt.service.ts';
import type { SubscriptionService } from '../payments/subscription.service.ts';
import type { TariffService } from '../payments/tariff.service.ts';
import { tariffTripPricing } from '../payments/trip-tariffs.ts';
import type { WebhookService } from '../payments/webhook.service.ts';
import { FleetService } from '../stations/fleet.service.ts';
import { IntermodalSearch } from '../stations/intermodal.service.ts';
import { ReservationService } from '../stations/reservation.service.ts';
import { StationService } from '../stations/station.service.ts';
import { StationFeed } from '../stations/station-feed.ts';
import { TripService } from '../stations/trip.service.ts';
import type { TripPricing } from '../stations/trip-pricing.ts';

/** Every domain service of the API, wired once per process. */
export interface Services {
  tokens: AccessTokens;
  tenants: TenantService;
  accounts: AccountService;
  inventory: InventoryService;
  availability: AvailabilityService;
  bookings: BookingService;
  access: AccessService;
  waitlist: WaitlistService;
  notifications: NotificationService;
  availabilityFeed: AvailabilityFeed;
  commandResults: CommandResultWaiter;
  lockCommands: LockCommandService;
  devices: DeviceService;
  /** Mobility stations and shared vehicles (services/stations). */
  stations: StationService;
  fleet: FleetService;
  vehicleReservations: ReservationService;
  trips: TripService;
  intermodal: IntermodalSearch;
  stationFeed: StationFeed;
  /** Prices trips from the payments tariffs and publishes them as GBFS pricing plans. */
  tripPricing: TripPricing;
  tariffs: TariffService;
  payments: PaymentService;
  subscriptions: SubscriptionService;
  receipts: ReceiptService;
  /** Null without Stripe configuration. */
  paymentWebhooks: WebhookService | null;
  paymentJobs: PaymentJobs;
}

export function createServices(
  db: Db,
  clock: Clock,
  secrets: Secrets,
  logger: Logger,
  options: { tokenTtlMinutes: number; lockCommandTimeoutMs: number; stripe?: StripeConfig },
): Services {
  const tokens = new AccessTokens(secrets.jwtSecret, options.tokenTtlMinutes);
  const commandResults = new CommandResultWaiter(logger);
  const credentials = new AccessCredentials(secrets.accessCredentialSecret);
  const bookings = new BookingService(db, clock, credentials);
  const payments = createPaymentsModule({
    db,
    clock,
    logger,
    stripe: options.stripe,
    bookings,
    receiptSecret: secrets.jwtSecret,
  });
  const tripPricing = tariffTripPricing(db);
  return {
    tokens,
    tenants: new TenantService(db),
    accounts: new AccountService(db, tokens),
    inventory: new InventoryService(db, clock),
    availability: new AvailabilityService(db, clock),
    bookings,
    access: new AccessService(db, clock, credentials),
    waitlist: new WaitlistService(db, clock),
    notifications: new NotificationService(db, clock),
    availabilityFeed: new AvailabilityFeed(logger),
    commandResults,
    devices: new DeviceService(db, clock),
    lockCommands: new LockCommandService(db, clock, commandResults, options.lockCommandTimeoutMs),
    stations: new StationService(db),
    fleet: new FleetService(db, clock),
    vehicleReservations: new ReservationService(db, clock),
    trips: new TripService(db, clock, commandResults, options.lockCommandTimeoutMs, tripPricing),
    intermodal: new IntermodalSearch(db, clock),
    stationFeed: new StationFeed(logger),
    tripPricing,
    tariffs: payments.tariffs,
    payments: payments.payments,
    subscriptions: payments.subscriptions,
    receipts: payments.receipts,
    paymentWebhooks: payments.webhooks,
    paymentJobs: payments.jobs,
  };
}
