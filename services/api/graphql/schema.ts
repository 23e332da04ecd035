import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './errors.graphql.ts';
import './tenant.graphql.ts';
import '../../accounts/account.graphql.ts';
import '../../garages/site.graphql.ts';
import '../../garages/space.graphql.ts';
import '../../garages/availability.graphql.ts';
import '../../garages/booking.graphql.ts';
import '../../garages/booking-integrity.graphql.ts';
import '../../garages/access.graphql.ts';
import '../../garages/waitlist.graphql.ts';
import '../../notifications/notification.graphql.ts';
import '../../devices/lock-command.graphql.ts';
import '../../devices/device.graphql.ts';
import '../../stations/station-errors.graphql.ts';
import '../../stations/station.graphql.ts';
import '../../stations/vehicle.graphql.ts';
import '../../stations/reservation.graphql.ts';
import '../../stations/trip.graphql.ts';
import '../../stations/trip-price.graphql.ts';
import '../../stations/intermodal.graphql.ts';
import '../../payments/tariff.graphql.ts';
import '../../payments/payment.graphql.ts';
import '../../payments/subscription.graphql.ts';

/** Built once at import; sorted so that the printed schema.graphql diffs cleanly. */
export const schema = lexicographicSortSchema(builder.toSchema());
