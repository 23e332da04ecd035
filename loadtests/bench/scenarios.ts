import {
  AVAILABILITY,
  CANCEL_BOOKING,
  CONFIRM_BOOKING,
  CREATE_BOOKING,
  dayAt,
  HOUR_MS,
  LOGIN,
  MY_BOOKINGS,
  poolSlot,
  TRIVIAL,
  UNLOCK,
} from '../lib/operations.js';
import { BENCH_PASSWORD, type Seeded } from './bench-database.ts';
import type { Iteration, Recorder } from './driver.ts';
import type { GraphQLClient } from './http-client.ts';

/**
 * The k6 scenarios of loadtests/booking-core.js as iterations for the Node driver: the same
 * operations (loadtests/lib/operations.js), the same data shapes.
 */
export interface ScenarioContext {
  client: GraphQLClient;
  seeded: Seeded;
  recorder: Recorder;
  /** Unique per bench run: idempotency keys never collide with an earlier run's. */
  runId: string;
  now: number;
}

type Data = { [field: string]: unknown } | null | undefined;
const field = (data: Data, name: string) => (data?.[name] ?? null) as Record<string, unknown> | null;

export function trivial(ctx: ScenarioContext, label = 'trivial'): Iteration {
  return async () => {
    ctx.recorder.call(label, await ctx.client.post(TRIVIAL));
  };
}

/**
 * Anonymous browsing: one garage's free boxes for a window, as the app's first screen: five
 * garages, the 48 hours ahead. `distinct`: every request a window of its own (shifted by the
 * minute), which no cache has seen: the cost of computing each answer.
 */
export function availability(ctx: ScenarioContext, label = 'availability', distinct = false): Iteration {
  const base = dayAt(1, 5, ctx.now);
  const sites = ctx.seeded.browseSiteIds;
  let requests = 0;
  return async (_vu, i) => {
    const from = distinct ? base + requests++ * 60_000 : base + (i % 48) * HOUR_MS;
    const response = await ctx.client.post(AVAILABILITY, {
      siteId: sites[i % sites.length],
      from: new Date(from).toISOString(),
      to: new Date(from + 2 * HOUR_MS).toISOString(),
    });
    ctx.recorder.call(label, response);
  };
}

/**
 * Bookings that never conflict (each a different space or hour), each by one of many
 * accounts: the throughput of booking itself, comparable with the database floor.
 */
export function createBookings(ctx: ScenarioContext, label = 'createBooking', dayOffset = 2): Iteration {
  const spaces = ctx.seeded.poolSpaceIds;
  const accounts = ctx.seeded.accounts;
  const base = dayAt(dayOffset, 0, ctx.now);
  let next = 0;
  return async () => {
    const n = next++;
    const slot = poolSlot(n, spaces.length, base);
    const account = accounts[n % accounts.length]!;
    const response = await ctx.client.post(
      CREATE_BOOKING,
      {
        input: {
          spaceId: spaces[slot.spaceIndex],
          from: slot.from,
          to: slot.to,
          idempotencyKey: `${ctx.runId}-${label}-${n}`,
        },
      },
      account.token,
    );
    ctx.recorder.call(label, response, 'createBooking');
  };
}

/** Commuters racing for one morning's boxes; the next ones race for the next morning. */
export const RUSH_RACERS_PER_WINDOW = 50;
/** Mornings raced for, at most (the run must stay within the year bookings open ahead). */
export const RUSH_MAX_WINDOWS = 300;

/**
 * 7:00 at the station: each commuter looks at the station garage for the morning and books a
 * free box from the answer. Few boxes, many commuters: most lose the race and must get a
 * typed SpaceUnavailableError (or see the garage full), never a 5xx, and no box is booked
 * twice. Every RUSH_RACERS_PER_WINDOW consecutive commuters race for one morning, so at every
 * moment of the ramp a morning's few boxes are fought over.
 */
export function rush(ctx: ScenarioContext): Iteration {
  const accounts = ctx.seeded.accounts;
  const first = dayAt(3, 5, ctx.now);
  return async (_vu, i) => {
    const account = accounts[i % accounts.length]!;
    const from = first + (Math.floor(i / RUSH_RACERS_PER_WINDOW) % RUSH_MAX_WINDOWS) * 24 * HOUR_MS;
    const window = { from: new Date(from).toISOString(), to: new Date(from + HOUR_MS).toISOString() };
    const available = await ctx.client.post(
      AVAILABILITY,
      { siteId: ctx.seeded.rushSiteId, ...window },
      account.token,
    );
    ctx.recorder.call('rush:availability', available);
    const free = (available.body?.data?.availability ?? []) as { id: string }[];
    if (free.length === 0) {
      ctx.recorder.counters.inc('rush:sold_out');
      return;
    }
    const pick = free[Math.floor(Math.random() * free.length)]!;
    const booked = await ctx.client.post(
      CREATE_BOOKING,
      { input: { spaceId: pick.id, ...window, idempotencyKey: `${ctx.runId}-rush-${i}` } },
      account.token,
    );
    ctx.recorder.counters.inc(`rush:${ctx.recorder.call('rush:createBooking', booked, 'createBooking')}`);
  };
}

/**
 * The full commuter journey: login → availability → createBooking (from now) → confirmBooking
 * → unlock → cancelBooking. The first opening starts the booking, and a started booking
 * cannot be cancelled, so the last step answers BookingStateError by the rules; both it and a
 * CANCELLED booking are typed answers. Without a bridge the unlock answers the typed
 * DeviceUnreachableError after LOCK_COMMAND_TIMEOUT_MS.
 */
export function journey(ctx: ScenarioContext): Iteration {
  const accounts = ctx.seeded.accounts;
  const sites = ctx.seeded.journeySiteIds;
  let next = 0;
  return async () => {
    const n = next++;
    const account = accounts[(accounts.length - 1 - n) % accounts.length]!;
    const login = await ctx.client.post(LOGIN, { input: { email: account.email, password: BENCH_PASSWORD } });
    ctx.recorder.call('journey:login', login, 'login');
    const token = field(login.body?.data, 'login')?.token as string | undefined;
    if (!token) return;
    const start = new Date();
    start.setUTCSeconds(0, 0);
    const window = { from: start.toISOString(), to: new Date(start.getTime() + HOUR_MS).toISOString() };
    const siteId = sites[n % sites.length];
    const available = await ctx.client.post(AVAILABILITY, { siteId, ...window }, token);
    ctx.recorder.call('journey:availability', available);
    const free = (available.body?.data?.availability ?? []) as { id: string }[];
    const pick = free[Math.floor(Math.random() * free.length)];
    if (!pick) {
      ctx.recorder.counters.inc('journey:sold_out');
      return;
    }
    const created = await ctx.client.post(
      CREATE_BOOKING,
      { input: { spaceId: pick.id, ...window, idempotencyKey: `${ctx.runId}-journey-${n}` } },
      token,
    );
    if (ctx.recorder.call('journey:createBooking', created, 'createBooking') !== 'Booking') return;
    const id = field(created.body?.data, 'createBooking')?.id as string;
    ctx.recorder.call(
      'journey:confirmBooking',
      await ctx.client.post(CONFIRM_BOOKING, { id }, token),
      'confirmBooking',
    );
    ctx.recorder.call('journey:unlock', await ctx.client.post(UNLOCK, { bookingId: id }, token), 'unlock');
    ctx.recorder.call(
      'journey:cancelBooking',
      await ctx.client.post(CANCEL_BOOKING, { id }, token),
      'cancelBooking',
    );
  };
}

/** A steady mix: mostly browsing, some booking, some "my bookings". */
export function mixed(ctx: ScenarioContext): Iteration {
  const browse = availability(ctx, 'mixed:availability');
  const book = createBookings(ctx, 'mixed:createBooking', 120);
  const accounts = ctx.seeded.accounts;
  return async (vu, i) => {
    const dice = i % 20;
    if (dice < 15) return browse(vu, i);
    if (dice < 19) return book(vu, i);
    const account = accounts[i % accounts.length]!;
    ctx.recorder.call('mixed:myBookings', await ctx.client.post(MY_BOOKINGS, {}, account.token));
  };
}
