// k6 load test of the booking core (k6 0.48 or later): `k6 run loadtests/booking-core.js`.
//
// Scenarios (pick with SCENARIOS=availability,rush,journey,mixed; they run one after the other):
//   availability  browsing: a constant arrival rate of anonymous availability queries
//   rush          7:00 at the station: a ramping arrival rate of commuters racing for the few
//                 boxes of one garage (availability, then createBooking of a box it showed)
//   journey       login → availability → createBooking (now) → confirmBooking → unlock → cancelBooking
//   mixed         a steady mix: 75 % availability, 20 % createBooking, 5 % myBookings
//
// Thresholds (per scenario; k6 exits 99 when one fails):
//   availability  failed requests < 1 %, p95 < 200 ms, p99 < 500 ms
//   rush          failed requests < 1 %, no 5xx at all, p95 < 1000 ms
//   journey       failed requests < 1 %, checks > 99 % (every step a typed answer), p95 < 1500 ms
//                 (unlock waits for the lock's answer)
//   mixed         failed requests < 1 %, p95 < 300 ms
//   after all     no two live bookings of one space overlap (teardown asks bookingOverlaps as staff)
//
// Environment: BASE_URL (default http://localhost:4000); AVAILABILITY_RATE (50/s),
// AVAILABILITY_DURATION (1m); RUSH_USERS (100), RUSH_PEAK_RATE (100/s), RUSH_RAMP (30s),
// RUSH_HOLD (30s), RUSH_MAX_VUS (500), RUSH_RACERS (50 commuters race for one morning's boxes), RUSH_SITE_ID (default:
// the first garage); JOURNEY_RATE (2/s), JOURNEY_DURATION (1m); MIXED_RATE (30/s),
// MIXED_DURATION (1m); RUN_DAY (days ahead the run books, default random 30–229, so that runs do
// not collide); STAFF_EMAIL / STAFF_PASSWORD for the teardown check (default: the demo operator of
// Soest); SUMMARY_FILE (k6-summary.json). The API needs demo data (SEED_DEMO=true or npm run
// seed) and, for rates above its defaults, RATE_LIMIT_IP_MUTATIONS_PER_MINUTE=0.
import { check, fail } from 'k6';
import exec from 'k6/execution';
import { Counter, Gauge } from 'k6/metrics';
import { BASE_URL, expectTyped, gql, intEnv, outcome, seconds } from './lib/k6-graphql.js';
import {
  AVAILABILITY,
  BOOKING_OVERLAPS,
  CANCEL_BOOKING,
  CONFIRM_BOOKING,
  CREATE_BOOKING,
  dayAt,
  HOUR_MS,
  LOGIN,
  MY_BOOKINGS,
  poolSlot,
  REGISTER,
  SITES,
  UNLOCK,
} from './lib/operations.js';

const ALL = ['availability', 'rush', 'journey', 'mixed'];
const selected = (__ENV.SCENARIOS || ALL.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of selected)
  if (!ALL.includes(name)) throw new Error(`Unknown scenario ${name}; use ${ALL.join(', ')}`);

const size = {
  availability: { rate: intEnv('AVAILABILITY_RATE', 50), duration: __ENV.AVAILABILITY_DURATION || '1m' },
  rush: {
    users: intEnv('RUSH_USERS', 100),
    peakRate: intEnv('RUSH_PEAK_RATE', 100),
    ramp: __ENV.RUSH_RAMP || '30s',
    hold: __ENV.RUSH_HOLD || '30s',
    maxVUs: intEnv('RUSH_MAX_VUS', 500),
    racers: intEnv('RUSH_RACERS', 50),
  },
  journey: { rate: intEnv('JOURNEY_RATE', 2), duration: __ENV.JOURNEY_DURATION || '1m' },
  mixed: { rate: intEnv('MIXED_RATE', 30), duration: __ENV.MIXED_DURATION || '1m' },
};

const RUSH_COOLDOWN = '10s';
/** Mornings the rush cycles through (after RUN_DAY), so that the run stays inside the booking horizon. */
const RUSH_MAX_WINDOWS = 30;
/** Pause between scenarios, so that one's tail does not count in the next one's figures. */
const GAP_SECONDS = 5;

const definitions = {
  availability: {
    executor: 'constant-arrival-rate',
    exec: 'browse',
    rate: size.availability.rate,
    timeUnit: '1s',
    duration: size.availability.duration,
    preAllocatedVUs: 20,
    maxVUs: 200,
  },
  rush: {
    executor: 'ramping-arrival-rate',
    exec: 'rush',
    startRate: 5,
    timeUnit: '1s',
    preAllocatedVUs: 50,
    maxVUs: size.rush.maxVUs,
    stages: [
      { target: size.rush.peakRate, duration: size.rush.ramp },
      { target: size.rush.peakRate, duration: size.rush.hold },
      { target: 0, duration: RUSH_COOLDOWN },
    ],
  },
  journey: {
    executor: 'constant-arrival-rate',
    exec: 'journey',
    rate: size.journey.rate,
    timeUnit: '1s',
    duration: size.journey.duration,
    preAllocatedVUs: 10,
    maxVUs: 100,
  },
  mixed: {
    executor: 'constant-arrival-rate',
    exec: 'mixed',
    rate: size.mixed.rate,
    timeUnit: '1s',
    duration: size.mixed.duration,
    preAllocatedVUs: 20,
    maxVUs: 200,
  },
};

const lengthSeconds = {
  availability: () => seconds(size.availability.duration),
  rush: () => seconds(size.rush.ramp) + seconds(size.rush.hold) + seconds(RUSH_COOLDOWN),
  journey: () => seconds(size.journey.duration),
  mixed: () => seconds(size.mixed.duration),
};

/** Thresholds per scenario, each on the scenario's own requests. */
const thresholdsOf = {
  availability: {
    'http_req_failed{scenario:availability}': ['rate<0.01'],
    'http_req_duration{scenario:availability}': ['p(95)<200', 'p(99)<500'],
  },
  rush: {
    'http_req_failed{scenario:rush}': ['rate<0.01'],
    'server_errors{scenario:rush}': ['count==0'],
    'http_req_duration{scenario:rush}': ['p(95)<1000'],
  },
  journey: {
    'http_req_failed{scenario:journey}': ['rate<0.01'],
    'checks{scenario:journey}': ['rate>0.99'],
    'http_req_duration{scenario:journey}': ['p(95)<1500'],
  },
  mixed: {
    'http_req_failed{scenario:mixed}': ['rate<0.01'],
    'http_req_duration{scenario:mixed}': ['p(95)<300'],
  },
};

const scenarios = {};
const thresholds = { overlapping_booking_pairs: ['value==0'] };
let offset = 0;
for (const name of ALL) {
  if (!selected.includes(name)) continue;
  scenarios[name] = { ...definitions[name], startTime: `${offset}s` };
  Object.assign(thresholds, thresholdsOf[name]);
  offset += lengthSeconds[name]() + GAP_SECONDS;
}

export const options = {
  scenarios,
  thresholds,
  setupTimeout: '300s',
  teardownTimeout: '60s',
  summaryTrendStats: ['avg', 'p(50)', 'p(95)', 'p(99)', 'max'],
};

const serverErrors = new Counter('server_errors');
const rushWon = new Counter('rush_bookings_won');
const rushLost = new Counter('rush_bookings_lost');
const rushSoldOut = new Counter('rush_sold_out');
const overlappingPairs = new Gauge('overlapping_booking_pairs');
const PASSWORD = 'k6-load-test-2026';

function countServerError(result) {
  if (result.res.status >= 500) serverErrors.add(1);
}

/** Garages, their spaces and the commuters of this run. */
export function setup() {
  const sites = gql(SITES, { first: 50 }, null, 'setup');
  const siteIds = (sites.data?.sites.edges || []).map((e) => e.node.id);
  if (siteIds.length === 0)
    fail(`No garages at ${BASE_URL}: start the API with demo data (SEED_DEMO=true or npm run seed)`);
  // Within the year bookings open ahead, with room for the rush's mornings and the mix's days.
  const runDay = intEnv('RUN_DAY', 30 + Math.floor(Math.random() * 200));
  const probe = dayAt(runDay + 20, 0, Date.now());
  const spaceIds = [];
  for (const siteId of siteIds) {
    const free = gql(
      AVAILABILITY,
      { siteId, from: new Date(probe).toISOString(), to: new Date(probe + HOUR_MS).toISOString() },
      null,
      'setup',
    );
    for (const space of free.data?.availability || []) spaceIds.push(space.id);
  }
  if (spaceIds.length === 0) fail('No free space found in any garage for the run day: pick another RUN_DAY');
  const run = Date.now().toString(36);
  const users = [];
  for (let i = 0; i < size.rush.users; i++) {
    const email = `k6-${run}-${i}@example.org`;
    const registered = gql(
      REGISTER,
      { input: { email, password: PASSWORD, name: `k6 ${i}` } },
      null,
      'setup',
    );
    const token = registered.data?.register.token;
    if (!token)
      fail(`register ${email}: ${outcome(registered, 'register')} ${JSON.stringify(registered.errors)}`);
    users.push({ email, token });
  }
  return { siteIds, rushSiteId: __ENV.RUSH_SITE_ID || siteIds[0], spaceIds, users, runDay, run };
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

function window(from, hours) {
  return { from: new Date(from).toISOString(), to: new Date(from + hours * HOUR_MS).toISOString() };
}

/** (a) Anonymous browsing of one garage's free boxes for a two-hour window. */
export function browse(data) {
  const from = dayAt(1 + Math.floor(Math.random() * 14), 5 + Math.floor(Math.random() * 12), Date.now());
  const result = gql(AVAILABILITY, { siteId: pick(data.siteIds), ...window(from, 2) }, null, 'availability');
  countServerError(result);
  check(result, {
    'availability: list of spaces': (r) => r.data !== null && Array.isArray(r.data.availability),
  });
}

/** (b) A commuter at 7:00: look at the station garage, book a box it showed as free. */
export function rush(data) {
  const user = pick(data.users);
  const n = exec.scenario.iterationInTest;
  // Every RUSH_RACERS consecutive commuters race for one morning: the boxes are always contested.
  const from = dayAt(
    data.runDay + (Math.floor(n / Math.max(1, size.rush.racers)) % RUSH_MAX_WINDOWS),
    6,
    Date.now(),
  );
  const slot = window(from, 1);
  const free = gql(AVAILABILITY, { siteId: data.rushSiteId, ...slot }, user.token, 'availability');
  countServerError(free);
  const spaces = free.data?.availability || [];
  if (spaces.length === 0) {
    rushSoldOut.add(1);
    return;
  }
  const booked = gql(
    CREATE_BOOKING,
    { input: { spaceId: pick(spaces).id, ...slot, idempotencyKey: `${data.run}-rush-${n}` } },
    user.token,
    'createBooking',
  );
  countServerError(booked);
  const got = expectTyped(
    booked,
    'createBooking',
    ['Booking', 'SpaceUnavailableError'],
    'rush createBooking',
  );
  if (got === 'Booking') rushWon.add(1);
  else if (got === 'SpaceUnavailableError') rushLost.add(1);
}

/** (c) The whole journey of one commuter, booking from now so that the box may be opened. */
export function journey(data) {
  const user = data.users[exec.scenario.iterationInTest % data.users.length];
  const login = gql(LOGIN, { input: { email: user.email, password: PASSWORD } }, null, 'login');
  countServerError(login);
  if (expectTyped(login, 'login', ['AuthPayload'], 'login') !== 'AuthPayload') return;
  const token = login.data.login.token;
  const start = new Date();
  start.setUTCSeconds(0, 0);
  const slot = window(start.getTime(), 1);
  const free = gql(AVAILABILITY, { siteId: pick(data.siteIds), ...slot }, token, 'availability');
  countServerError(free);
  const spaces = free.data?.availability || [];
  if (spaces.length === 0) return;
  const created = gql(
    CREATE_BOOKING,
    {
      input: {
        spaceId: pick(spaces).id,
        ...slot,
        idempotencyKey: `${data.run}-journey-${exec.scenario.iterationInTest}`,
      },
    },
    token,
    'createBooking',
  );
  countServerError(created);
  if (
    expectTyped(created, 'createBooking', ['Booking', 'SpaceUnavailableError'], 'createBooking') !== 'Booking'
  )
    return;
  const id = created.data.createBooking.id;
  const confirmed = gql(CONFIRM_BOOKING, { id }, token, 'confirmBooking');
  countServerError(confirmed);
  expectTyped(confirmed, 'confirmBooking', ['Booking'], 'confirmBooking');
  const unlocked = gql(UNLOCK, { bookingId: id }, token, 'unlock');
  countServerError(unlocked);
  // Without a bridge (or with a silent lock) the answer is the typed DeviceUnreachableError.
  expectTyped(unlocked, 'unlock', ['LockCommand', 'DeviceUnreachableError'], 'unlock');
  const cancelled = gql(CANCEL_BOOKING, { id }, token, 'cancelBooking');
  countServerError(cancelled);
  // The first opening starts the booking, and a started booking is not cancelled: BookingStateError.
  expectTyped(cancelled, 'cancelBooking', ['Booking', 'BookingStateError'], 'cancelBooking');
}

/** (d) The steady mix. Bookings go to distinct spaces and hours of the run's day: no conflicts. */
export function mixed(data) {
  const n = exec.scenario.iterationInTest;
  const dice = n % 20;
  if (dice < 15) return browse(data);
  const user = data.users[n % data.users.length];
  if (dice < 19) {
    const slot = poolSlot(n, data.spaceIds.length, dayAt(data.runDay + 40, 0, Date.now()));
    const booked = gql(
      CREATE_BOOKING,
      {
        input: {
          spaceId: data.spaceIds[slot.spaceIndex],
          from: slot.from,
          to: slot.to,
          idempotencyKey: `${data.run}-mixed-${n}`,
        },
      },
      user.token,
      'createBooking',
    );
    countServerError(booked);
    expectTyped(booked, 'createBooking', ['Booking', 'SpaceUnavailableError'], 'mixed createBooking');
    return;
  }
  const mine = gql(MY_BOOKINGS, {}, user.token, 'myBookings');
  countServerError(mine);
  check(mine, { 'myBookings: a page': (r) => r.data !== null && r.data.myBookings !== undefined });
}

/** After the run: no space may hold two overlapping live bookings. */
export function teardown() {
  const email = __ENV.STAFF_EMAIL || 'betrieb.soest@example.org';
  const password = __ENV.STAFF_PASSWORD || 'Demo-Passwort-2026';
  const login = gql(LOGIN, { input: { email, password } }, null, 'teardown');
  const token = login.data?.login?.token;
  if (!token) {
    overlappingPairs.add(-1);
    check(null, { [`teardown: staff ${email} signed in (set STAFF_EMAIL / STAFF_PASSWORD)`]: () => false });
    return;
  }
  const result = gql(BOOKING_OVERLAPS, {}, token, 'teardown');
  const pairs = result.data ? result.data.bookingOverlaps.pairs : -1;
  overlappingPairs.add(pairs);
  check(pairs, { 'no overlapping live bookings': (p) => p === 0 });
}

/** The run as JSON (SUMMARY_FILE) and a short verdict per threshold on stdout. */
export function handleSummary(data) {
  const lines = [`booking-core against ${BASE_URL}: scenarios ${selected.join(', ')}`];
  for (const [name, metric] of Object.entries(data.metrics)) {
    if (!metric.thresholds) continue;
    for (const [threshold, result] of Object.entries(metric.thresholds)) {
      lines.push(`  ${result.ok ? 'ok  ' : 'FAIL'} ${name} ${threshold}`);
    }
  }
  const count = (name) => (data.metrics[name] ? data.metrics[name].values.count : 0);
  if (selected.includes('rush')) {
    lines.push(
      `  rush: ${count('rush_bookings_won')} won, ${count('rush_bookings_lost')} lost the race, ${count('rush_sold_out')} saw the garage full`,
    );
  }
  return {
    [__ENV.SUMMARY_FILE || 'k6-summary.json']: JSON.stringify(data, null, 2),
    stdout: `${lines.join('\n')}\n`,
  };
}
