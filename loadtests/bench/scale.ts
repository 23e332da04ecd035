import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { sql } from 'kysely';
import { AccessTokens } from '../../services/core/auth/tokens.ts';
import { dayAt, HOUR_MS, MY_BOOKINGS } from '../lib/operations.js';
import { type BenchDatabase, countOverlaps, createBenchDatabase, type Seeded } from './bench-database.ts';
import { closedLoop, type Iteration, Recorder, type StepResult } from './driver.ts';
import { createGraphQLClient } from './http-client.ts';
import { startApiProcess } from './processes.ts';
import {
  addHistoricalBookings,
  addLiveBookings,
  generateRegion,
  LIVE_BOOKINGS,
  SCALE,
} from './scale-data.ts';
import { availability, createBookings, type ScenarioContext } from './scenarios.ts';

/**
 * `npm run bench -- --scale`: the region at full size (5 towns × 50 garages × 200 boxes) with
 * 10 thousand and then 2 million historical bookings; availability, createBooking and
 * myBookings measured at both sizes against the API as its own process, plus the plans of
 * their queries (EXPLAIN ANALYZE). Goal: latency at 2 million at most 1.5 × that at 10 thousand.
 */
const SMALL = 10_000;
const MEASURE = { warmupMs: 3000, durationMs: 10_000, concurrency: 16 };

interface SizeResult {
  bookings: number;
  steps: Record<string, StepResult>;
  plans: Record<string, string>;
}

async function sample<T>(
  db: BenchDatabase['handle']['db'],
  query: ReturnType<typeof sql<T>>,
): Promise<string> {
  const result = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers, costs off) ${query}`.execute(
    db,
  );
  return result.rows.map((r) => r['QUERY PLAN']).join('\n');
}

/** Plans of the hot queries, as the API runs them (free_spaces' body inlined, the insert rolled back). */
async function plans(db: BenchDatabase['handle']['db'], seeded: Seeded): Promise<Record<string, string>> {
  const from = new Date(dayAt(1, 6, Date.now()));
  const to = new Date(from.getTime() + 3 * HOUR_MS);
  const siteId = seeded.browseSiteIds[0]!;
  const accountId = seeded.accounts[0]!.id;
  const out: Record<string, string> = {};
  out.availability = await sample(
    db,
    sql`select sp.id, sp.label from space sp
        left join lateral (
          select true as taken from booking b
          where b.space_id = sp.id and b.status in ('held', 'confirmed', 'active')
            and b.starts_at < ${to} and b.ends_at > ${from}
            and not (b.status = 'held' and b.hold_expires_at <= now())
          limit 1) busy on true
        where sp.site_id = ${siteId} and sp.retired_at is null and busy.taken is null
        order by sp.label`,
  );
  out.myBookings = await sample(
    db,
    sql`select id, status from booking where account_id = ${accountId} order by starts_at desc, id limit 11`,
  );
  // The insert, with its exclusion check and index maintenance, inside a transaction that is rolled back.
  await db
    .transaction()
    .execute(async (tx) => {
      out.createBooking = await sample(
        tx,
        sql`insert into booking (tenant_id, site_id, space_id, account_id, starts_at, ends_at, status, hold_expires_at)
            select tenant_id, site_id, id, ${accountId}, ${from}, ${to}, 'held', now() + interval '15 minutes'
            from space where site_id = ${siteId} limit 1`,
      );
      throw new Error('rollback');
    })
    .catch(() => undefined);
  return out;
}

async function measure(apiUrl: string, seeded: Seeded, log: (line: string) => void, label: string) {
  const client = createGraphQLClient(apiUrl);
  const steps: Record<string, StepResult> = {};
  const run = async (make: (ctx: ScenarioContext) => Iteration) => {
    const recorder = new Recorder();
    const ctx = {
      client,
      seeded,
      recorder,
      runId: `${label}-${randomBytes(3).toString('hex')}`,
      now: Date.now(),
    };
    const result = await closedLoop({ ...MEASURE, iteration: make(ctx), recorder });
    for (const [step, s] of Object.entries(result.steps)) {
      steps[step] = s;
      log(
        `    ${label} ${step}: ${s.perSecond}/s p50 ${s.latencyMs.p50} p95 ${s.latencyMs.p95} p99 ${s.latencyMs.p99} ms, errors ${s.errors}`,
      );
    }
  };
  await run((ctx) => availability(ctx));
  await run((ctx) => createBookings(ctx, 'createBooking', label === '10k' ? 60 : 90));
  await run((ctx) => async (_vu, i) => {
    const account = ctx.seeded.accounts[i % ctx.seeded.accounts.length]!;
    ctx.recorder.call('myBookings', await ctx.client.post(MY_BOOKINGS, {}, account.token));
  });
  client.close();
  return steps;
}

export async function runScale(options: {
  log: (line: string) => void;
  historical: number;
  command: string;
}) {
  const { log } = options;
  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  log('Scale: generating the region …');
  const database = await createBenchDatabase();
  const db = database.handle.db;
  try {
    const region = await generateRegion(db);
    await addLiveBookings(db, LIVE_BOOKINGS);
    await addHistoricalBookings(db, 0, SMALL);
    log(
      `  ${region.sites} garages, ${region.spaces} boxes, ${region.accounts} commuters, ${LIVE_BOOKINGS} live and ${SMALL} historical bookings`,
    );
    const jwtSecret = randomBytes(32).toString('base64url');
    const tokens = new AccessTokens(jwtSecret, 24 * 60);
    const sites = await sql<{ id: string }>`select id from site order by random() limit 50`.execute(db);
    const spaces = await sql<{ id: string; site_id: string }>`
      select id, site_id from space where site_id = any(${sites.rows.map((s) => s.id)}::uuid[]) order by site_id, label`.execute(
      db,
    );
    const accounts = await sql<{ id: string; email: string }>`
      select id, email from account where email like 'scale-%' order by id limit 200`.execute(db);
    const seeded: Seeded = {
      rushSiteId: sites.rows[0]!.id,
      rushSpaceIds: [],
      browseSiteIds: sites.rows.map((s) => s.id),
      journeySiteIds: [],
      poolSiteIds: [...new Set(spaces.rows.map((s) => s.site_id))],
      poolSpaceIds: spaces.rows.map((s) => s.id),
      accounts: await Promise.all(
        accounts.rows.map(async (a) => ({
          ...a,
          token: await tokens.issue({ role: 'commuter', accountId: a.id, tenantId: null }),
        })),
      ),
    };
    const api = () =>
      startApiProcess({
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '20',
        MQTT_URL: 'mqtt://127.0.0.1:1', // no embedded broker: the devices are not part of this
        JWT_SECRET: jwtSecret,
        SEED_DEMO: 'false',
        RATE_LIMIT_ACCOUNT_MUTATIONS_PER_MINUTE: '0',
        RATE_LIMIT_IP_MUTATIONS_PER_MINUTE: '0',
        // The query itself as the data grows, not answers from memory.
        AVAILABILITY_CACHE_MS: '0',
      });

    const sizes: SizeResult[] = [];
    for (const [label, target] of [
      ['10k', SMALL],
      ['2M', options.historical],
    ] as const) {
      const have = Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from booking where status not in ('held', 'confirmed', 'active')`.execute(
            db,
          )
        ).rows[0]!.n,
      );
      if (have < target) {
        log(`  adding ${target - have} historical bookings …`);
        const t = Date.now();
        // In chunks: one statement of two million rows would hold its memory until the end.
        for (let offset = have; offset < target; offset += 500_000) {
          await addHistoricalBookings(db, offset, Math.min(500_000, target - offset));
        }
        log(`  … in ${Math.round((Date.now() - t) / 1000)} s`);
      }
      await sql`vacuum analyze booking`.execute(db);
      const apiProcess = await api();
      try {
        log(`  measuring at ${label} historical bookings …`);
        const steps = await measure(apiProcess.baseUrl, seeded, log, label);
        sizes.push({ bookings: target, steps, plans: await plans(db, seeded) });
      } finally {
        await apiProcess.stop();
      }
    }
    const overlaps = await countOverlaps(db);
    const tableSize = (
      await sql<{ s: string }>`select pg_size_pretty(pg_total_relation_size('booking')) as s`.execute(db)
    ).rows[0]!.s;
    return report(options.command, sizes, overlaps, tableSize, {
      seconds: Math.round((Date.now() - started) / 1000),
      loadBefore,
      loadAfter: loadavg()[0]!,
    });
  } finally {
    await database.drop();
  }
}

function report(
  command: string,
  sizes: SizeResult[],
  overlaps: number,
  tableSize: string,
  run: { seconds: number; loadBefore: number; loadAfter: number },
) {
  const [small, large] = sizes as [SizeResult, SizeResult];
  const rows = [
    '| step | at 10k: per s / p50 / p95 / p99 ms | at 2M: per s / p50 / p95 / p99 ms | p95 ratio | goal ≤ 1.5× |',
    '|---|---|---|---:|---|',
  ];
  for (const step of Object.keys(small.steps)) {
    const a = small.steps[step]!;
    const b = large.steps[step];
    if (!b) continue;
    const ratio = a.latencyMs.p95 > 0 ? b.latencyMs.p95 / a.latencyMs.p95 : 0;
    const fmt = (s: StepResult) =>
      `${s.perSecond} / ${s.latencyMs.p50} / ${s.latencyMs.p95} / ${s.latencyMs.p99}`;
    rows.push(
      `| ${step} | ${fmt(a)} | ${fmt(b)} | ${ratio.toFixed(2)} | ${ratio <= 1.5 ? 'met' : '**missed**'} |`,
    );
  }
  const plan = (name: string) => ['', `${name} at 2M:`, '```', large.plans[name] ?? '', '```'].join('\n');
  const markdown = [
    `Command: \`${command}\` — ${new Date().toISOString()}, ${run.seconds} s in all`,
    '',
    `Machine: ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB, Node ${process.version}; 1-minute load average ${run.loadBefore.toFixed(2)} before, ${run.loadAfter.toFixed(2)} after.`,
    `Data: ${SCALE.towns.length} towns × ${SCALE.sitesPerTown} garages × ${SCALE.spacesPerSite} boxes, ${SCALE.commuters} commuters, ${LIVE_BOOKINGS} live bookings; historical bookings ${small.bookings} then ${large.bookings} (booking table with indexes at the end: ${tableSize}). Overlapping live pairs at the end: ${overlaps}.`,
    `Each step: closed loop, ${MEASURE.concurrency} in flight, ${MEASURE.durationMs / 1000} s after ${MEASURE.warmupMs / 1000} s warm-up, API restarted after the data grew.`,
    '',
    ...rows,
    plan('availability'),
    plan('createBooking'),
    plan('myBookings'),
  ].join('\n');
  return { json: { command, sizes, overlaps, tableSize, run }, markdown };
}
