import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoCommuterEmail, demoSites, demoTowns } from '../garages/demo/demo-data.ts';

/**
 * `npm start` as a user runs it: the real entry point in its own process, nothing configured
 * but a data folder and a port. Embedded PostgreSQL, demo data, HTTP, SIGTERM, and a restart
 * that must keep the booking.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** Migrations, demo data and ~220 simulated locks on a fresh PGlite take ~20 s here, several times that on a loaded box. */
const START_DEADLINE_MS = 150_000;
const STOP_DEADLINE_MS = 30_000;

/** Everything config.ts reads: the child must see none of the test runner's settings. */
const CONFIG_VARIABLES = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'DATABASE_URL',
  'DATABASE_POOL_SIZE',
  'DATA_DIR',
  'JWT_SECRET',
  'ACCESS_TOKEN_TTL_MINUTES',
  'LOG_LEVEL',
  'SMTP_URL',
  'MAIL_FROM',
  'SWEEP_INTERVAL_MS',
  'GRAPHQL_MAX_DEPTH',
  'GRAPHQL_MAX_COST',
  'MAX_BODY_BYTES',
  'SEED_DEMO',
  'MQTT_URL',
];

const dataDir = mkdtempSync(join(tmpdir(), 'swf-smoke-'));
/** Children still running, so afterAll can kill them whatever failed. */
const live = new Set<Running>();

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port the kernel just handed out and we released again (PORT=0 is not supported). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function start(port: number): Running {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!CONFIG_VARIABLES.includes(key) && !key.startsWith('VITEST')) env[key] = value;
  }
  Object.assign(env, { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });

  const child = spawn(process.execPath, ['--import', 'tsx', 'services/api/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const handle: Running = {
    child,
    output: () => output,
    exited: new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(handle);
        resolve({ code, signal });
      });
    }),
  };
  live.add(handle);
  return handle;
}

async function poll<T>(
  what: string,
  running: Running,
  deadlineMs: number,
  probe: () => Promise<T | undefined>,
) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (running.child.exitCode !== null || running.child.signalCode !== null) {
      throw new Error(`The process ended while waiting for ${what}:\n${running.output()}`);
    }
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function waitUntilReady(running: Running, port: number): Promise<void> {
  await poll('/readyz', running, START_DEADLINE_MS, async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      return response.status === 200 ? true : undefined;
    } catch {
      return undefined; // not listening yet
    }
  });
  // The banner is written in the listen callback; the pipe may deliver it a moment later.
  await poll('the start-up banner', running, START_DEADLINE_MS, async () =>
    running.output().includes('/graphql') ? true : undefined,
  );
}

async function stop(running: Running): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  running.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`No exit within ${STOP_DEADLINE_MS} ms of SIGTERM:\n${running.output()}`)),
      STOP_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([running.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type Json = Record<string, any>;

/** pino lines at level error (50) or fatal (60): a failing background task shows up here. */
function errorLogLines(output: string): string[] {
  return output.split('\n').filter((line) => {
    if (!line.startsWith('{')) return false;
    try {
      return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
    } catch {
      return false;
    }
  });
}

async function gql(port: number, query: string, variables?: Record<string, unknown>, token?: string) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: Json; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(response.status).toBe(200);
  return body.data;
}

const SITES = `{ sites(first: 100) { edges { node { id name kind tenant { id } address { city } } } } }`;
/** The demo garages; mobility stations (services/stations) are sites too. */
const garagesOf = (result: Json) =>
  result.sites.edges.map((e: Json) => e.node).filter((s: Json) => s.kind === 'bike_garage');
const MY_BOOKINGS = `{ myBookings(first: 50) { edges { node { id status from to space { id } } } } }`;

afterAll(async () => {
  const leftovers = [...live];
  for (const { child } of leftovers) child.kill('SIGKILL');
  await Promise.all(leftovers.map((r) => r.exited));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (services/api/main.ts) with nothing configured', () => {
  it('serves the demo, books, stops on SIGTERM and keeps the booking across a restart', async () => {
    const port = await freePort();

    // First start: a fresh data folder, so migrations, secrets and demo data are created.
    const first = start(port);
    await waitUntilReady(first, port);
    const banner = first.output();
    expect(banner).toContain(`http://127.0.0.1:${port}/graphql`);
    expect(banner).toContain('database: pglite');
    expect(banner).toContain(`Demo data: ${demoSites.length} garages`);
    expect(banner).toContain(demoCommuterEmail);
    for (const town of demoTowns) expect(banner).toContain(`betrieb.${town}@example.org`);
    expect(banner).toContain(`password: ${DEMO_PASSWORD}`);

    const login = await gql(
      port,
      `mutation($input: LoginInput!) { login(input: $input) {
         __typename ... on AuthPayload { token account { email } } ... on Error { message } } }`,
      { input: { email: demoCommuterEmail, password: DEMO_PASSWORD } },
    );
    expect(login.login).toMatchObject({ __typename: 'AuthPayload', account: { email: demoCommuterEmail } });
    const token: string = login.login.token;

    const sites = garagesOf(await gql(port, SITES, {}, token));
    expect(sites).toHaveLength(8);
    expect(new Set(sites.map((s: Json) => s.tenant.id))).toEqual(new Set(demoTowns));
    expect(sites.map((s: Json) => s.name).sort()).toEqual(demoSites.map((s) => s.name).sort());

    const soest = sites.find((s: Json) => s.name === 'Fahrradparkhaus Bahnhof Soest');
    const from = new Date(Date.now() + 24 * 3_600_000);
    from.setUTCMinutes(0, 0, 0);
    const to = new Date(from.getTime() + 2 * 3_600_000);
    const free = await gql(
      port,
      `query($siteId: ID!, $from: DateTime!, $to: DateTime!) { availability(siteId: $siteId, from: $from, to: $to) { id } }`,
      { siteId: soest.id, from: from.toISOString(), to: to.toISOString() },
      token,
    );
    expect(free.availability.length).toBeGreaterThan(0);
    const spaceId: string = free.availability[0].id;

    const created = await gql(
      port,
      `mutation($input: CreateBookingInput!) { createBooking(input: $input) {
         __typename ... on Booking { id status } ... on Error { message } } }`,
      { input: { spaceId, from: from.toISOString(), to: to.toISOString(), idempotencyKey: 'smoke-1' } },
      token,
    );
    expect(created.createBooking).toMatchObject({ __typename: 'Booking', status: 'HELD' });
    const bookingId: string = created.createBooking.id;
    const confirmed = await gql(
      port,
      `mutation($id: ID!) { confirmBooking(id: $id) { __typename ... on Booking { status } ... on Error { message } } }`,
      { id: bookingId },
      token,
    );
    expect(confirmed.confirmBooking).toEqual({ __typename: 'Booking', status: 'CONFIRMED' });

    expect(await stop(first)).toEqual({ code: 0, signal: null });
    expect(errorLogLines(first.output())).toEqual([]);

    // Second start on the same folder and port: same secrets, same database, seed changes nothing.
    const second = start(port);
    await waitUntilReady(second, port);
    expect(second.output()).toContain(`http://127.0.0.1:${port}/graphql`);

    const mine = (await gql(port, MY_BOOKINGS, {}, token)).myBookings.edges.map((e: Json) => e.node);
    expect(mine).toEqual([
      {
        id: bookingId,
        status: 'CONFIRMED',
        from: from.toISOString(),
        to: to.toISOString(),
        space: { id: spaceId },
      },
    ]);
    expect(garagesOf(await gql(port, SITES, {}, token))).toHaveLength(8);

    expect(await stop(second)).toEqual({ code: 0, signal: null });
    expect(errorLogLines(second.output())).toEqual([]);
  }, 420_000);
});
