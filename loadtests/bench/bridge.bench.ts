import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { startTestMosquitto, type TestMosquitto } from '../../firmware-bridge/test-support/mosquitto.ts';
import { createBenchDatabase } from './bench-database.ts';
import { connectSensors, publishPipelined, rawBrokerThroughput } from './bridge-publishers.ts';
import {
  type BridgeBenchReport,
  figuresTable,
  type IngestResult,
  loadAverage,
  machineLine,
  sectionOf,
  targetsOf,
  targetTable,
} from './bridge-report.ts';
import {
  BENCH_TENANT,
  BRIDGE_LOGIN,
  type BridgeBenchData,
  DEVICE_PASSWORD,
  seedBridgeBench,
} from './bridge-seed.ts';
import { bookBoxes, runUnlocks } from './bridge-unlock.ts';
import { sleep } from './driver.ts';
import { createGraphQLClient } from './http-client.ts';
import { type ChildHandle, startApiProcess, startBridgeProcess, startSimulatorProcess } from './processes.ts';
import { updateSection } from './report.ts';
import { cpuMsOf, memoryOf } from './resources.ts';

/**
 * `npm run bench:bridge [-- --quick]`: the firmware bridge as in production, each part its own
 * process: Mosquitto with the project's mosquitto.conf and ACL (authenticated, persistent) on
 * a free port, the API (`npm start`'s entry point), the bridge (firmware-bridge/main.ts), the
 * device simulator playing the locks, and a throwaway PostgreSQL database.
 *  1. raw broker baseline: pipelined QoS 1 publishers (one client per sensor) → Mosquitto →
 *     one subscriber, before the bridge exists;
 *  2. unlock round trips through GraphQL → outbox → MQTT → simulated lock → ack → answer,
 *     one at a time and many at once;
 *  3. sensor ingest: the same publishers at a fixed rate into the bridge, then
 *     messages in = readings stored + dead letters, with the bridge's RSS sampled throughout.
 * Rewrites the bridge section of BENCHMARKS.md (not with --quick). Exits 0 when a target is
 * missed (the table says so) and 1 only when the bench itself failed.
 */
// Not strict: `npm run bench` hands its arguments on, and only --quick concerns this bench.
const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false } },
  strict: false,
  allowPositionals: true,
});
const quick = values.quick === true;
const SIZES = {
  locks: 20,
  sensors: 20,
  /** Per sensor client; Mosquitto lets a client have 20 QoS 1 messages in flight. */
  window: 10,
  warmup: 20,
  sequential: quick ? 40 : 300,
  concurrent: { rounds: quick ? 3 : 10, width: 20 },
  ingest: { ratePerSecond: 6000, seconds: quick ? 4 : 20 },
  /** Beyond the target, to show the headroom (or where messages start to go). */
  headroom: { ratePerSecond: 10_000, seconds: quick ? 2 : 8 },
  rawPerClient: quick ? 500 : 2000,
  drainTimeoutMs: 30_000,
  /** The ingest drain gives up when nothing more was stored for this long. */
  stallMs: 5000,
};
const log = (line: string) => process.stdout.write(`${line}\n`);
/**
 * As compose.yaml runs the bridge: a 128 MB old generation makes V8 collect before garbage
 * piles up under a sustained stream (without it the resident size grew from ~165 to ~230 MB
 * in 20 s of ingest, all of it collectable). BENCH_BRIDGE_NODE_OPTIONS replaces it, e.g. for
 * --cpu-prof.
 */
const BRIDGE_NODE_OPTIONS = process.env.BENCH_BRIDGE_NODE_OPTIONS ?? '--max-old-space-size=128';

const loadBefore = loadAverage();
const database = await createBenchDatabase();
const jwtSecret = randomBytes(32).toString('base64url');
const children: ChildHandle[] = [];
let broker: TestMosquitto | undefined;
let exitCode = 0;
try {
  const data = await seedBridgeBench(database.handle.db, {
    locks: SIZES.locks,
    sensors: SIZES.sensors,
    jwtSecret,
  });
  broker = await startTestMosquitto(data.mqttUsers);
  log(`Bridge bench: Mosquitto (project config) on ${broker.url}; raw broker baseline …`);
  const raw = await rawBrokerThroughput(broker.url, BRIDGE_LOGIN, data.sensors, {
    perClient: SIZES.rawPerClient,
    window: SIZES.window,
    drainTimeoutMs: SIZES.drainTimeoutMs,
  });
  log(`  ${raw.received} of ${raw.published.acked} in ${raw.seconds.toFixed(2)} s`);

  const devices = { DATABASE_URL: database.url, MQTT_URL: broker.url, LOG_LEVEL: 'warn' };
  const api = await startApiProcess({
    DATABASE_URL: database.url,
    MQTT_URL: broker.url,
    JWT_SECRET: jwtSecret,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_ACCOUNT_MUTATIONS_PER_MINUTE: '0',
    RATE_LIMIT_IP_MUTATIONS_PER_MINUTE: '0',
  });
  children.push(api);
  const bridge = await startBridgeProcess({
    ...devices,
    MQTT_USERNAME: BRIDGE_LOGIN.username,
    MQTT_PASSWORD: BRIDGE_LOGIN.password,
    BRIDGE_INSTANCE_ID: 'bench',
    NODE_OPTIONS: BRIDGE_NODE_OPTIONS,
  });
  children.push(bridge);
  children.push(await startSimulatorProcess({ ...devices, SIM_DEVICE_PASSWORD: DEVICE_PASSWORD }));

  const client = createGraphQLClient(api.baseUrl);
  const boxes = await bookBoxes(client, data.boxes, randomBytes(4).toString('hex'));
  log('Unlock round trips …');
  await runUnlocks(client, database, boxes, { rounds: SIZES.warmup, width: 1 });
  const sequential = await runUnlocks(client, database, boxes, { rounds: SIZES.sequential, width: 1 });
  log(`  one at a time: p50 ${sequential.total.p50} p95 ${sequential.total.p95} ms`);
  const concurrent = await runUnlocks(client, database, boxes, SIZES.concurrent);
  log(`  ${SIZES.concurrent.width} at once: p50 ${concurrent.total.p50} p95 ${concurrent.total.p95} ms`);
  client.close();

  log(`Sensor ingest at ${SIZES.ingest.ratePerSecond}/s for ${SIZES.ingest.seconds} s …`);
  const ingest = await measureIngest(database, data, broker.url, bridge.pid, SIZES.ingest);
  log(
    `  stored ${ingest.storedPerSecond}/s, lost ${ingest.lost}, backlog ≤ ${ingest.maxBacklog}, bridge RSS ${ingest.bridgeRssMb.idle} → ${ingest.bridgeRssMb.peak} MB, CPU ${ingest.bridgeCpuPercent} %`,
  );

  log(`Headroom: ${SIZES.headroom.ratePerSecond}/s offered for ${SIZES.headroom.seconds} s …`);
  const headroom = await measureIngest(database, data, broker.url, bridge.pid, SIZES.headroom);
  log(`  stored ${headroom.storedPerSecond}/s, lost ${headroom.lost}`);

  const report: BridgeBenchReport = {
    command: `npm run bench:bridge${quick ? ' -- --quick' : ''}`,
    date: new Date().toISOString(),
    machine: machineLine(),
    loadBefore,
    loadAfter: loadAverage(),
    settings: [
      `Processes: Mosquitto with firmware-bridge/mosquitto/mosquitto.conf and its ACL (authenticated, persistence on, max_queued_messages 50,000), the API, the bridge (LOG_LEVEL=warn, NODE_OPTIONS=${BRIDGE_NODE_OPTIONS || 'none'}) and the simulator (${SIZES.locks} locks) each on its own; PostgreSQL at 127.0.0.1, a database of the bench's own.`,
      `Publishers: ${SIZES.sensors} sensor clients (each logged in as its sensor), QoS 1, up to ${SIZES.window} messages in flight each (a PUBACK frees a slot), payload ~70 bytes. Raw baseline: ${SIZES.rawPerClient} messages per client as fast as acknowledged to one QoS 1 subscriber. Ingest: ${SIZES.ingest.ratePerSecond}/s offered for ${SIZES.ingest.seconds} s into the bridge, then ${SIZES.headroom.ratePerSecond}/s for ${SIZES.headroom.seconds} s for the headroom (no target: when the bridge falls further behind than Mosquitto's per-client queue (max_queued_messages, 50,000 in the project's mosquitto.conf), the broker drops messages and the run counts them as lost; stored rates end at the last message stored).`,
      `Unlocks: ${SIZES.sequential} one at a time after ${SIZES.warmup} warm-up, then ${SIZES.concurrent.rounds} rounds of ${SIZES.concurrent.width} at once, each by the commuter of a confirmed booking over HTTP; pending/sent/acked times from device_command_transition.`,
    ].join(' '),
    raw,
    sequential,
    concurrent,
    concurrentWidth: SIZES.concurrent.width,
    ingest,
    headroom,
  };
  log('');
  log(figuresTable(report));
  log('');
  log(targetTable(targetsOf(report)));
  if (!quick) {
    updateSection(
      fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url)),
      'bridge',
      sectionOf(report),
    );
    log('\nWrote the bridge section of BENCHMARKS.md');
  }
} catch (error) {
  exitCode = 1;
  process.stderr.write(`Bridge bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  for (const child of children) process.stderr.write(`${child.name} output:\n${child.output()}\n`);
} finally {
  for (const child of children.reverse()) await child.stop().catch(() => {});
  await broker?.dispose();
  await database.drop();
}
process.exit(exitCode);

async function measureIngest(
  db: typeof database,
  data: BridgeBenchData,
  url: string,
  bridgePid: number,
  load: { ratePerSecond: number; seconds: number },
): Promise<IngestResult> {
  const count = async () => {
    const { rows } = await sql<{ readings: string; dead: string }>`
      select (select count(*) from sensor_reading where tenant_id = ${BENCH_TENANT}
                and device_id like 'bench-sensor-%')::text as readings,
             (select count(*) from dead_letter)::text as dead`.execute(db.handle.db);
    return { readings: Number(rows[0]!.readings), dead: Number(rows[0]!.dead) };
  };
  const clients = await connectSensors(url, data.sensors);
  const base = await count();
  const idleRss = Math.round(memoryOf(bridgePid)?.rssMb ?? 0);
  let peakRss = idleRss;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, memoryOf(bridgePid)?.rssMb ?? 0);
  }, 50);
  const cpuBefore = cpuMsOf(bridgePid) ?? 0;
  const { ratePerSecond, seconds } = load;
  let maxBacklog = 0;
  let publishing = true;
  const progress = { acked: 0, failed: 0 };
  const backlogWatch = (async () => {
    while (publishing) {
      await sleep(500);
      const now = await count();
      const storedSoFar = now.readings - base.readings + now.dead - base.dead;
      maxBacklog = Math.max(maxBacklog, progress.acked - storedSoFar);
    }
  })();
  const started = performance.now();
  const published = await publishPipelined(
    clients,
    data.sensors,
    {
      perClient: Math.round((ratePerSecond * seconds) / clients.length),
      window: SIZES.window,
      ratePerSecond,
    },
    progress,
  );
  publishing = false;
  await backlogWatch;
  const publishedAt = performance.now();
  let stored = await count();
  const total = () => stored.readings - base.readings + stored.dead - base.dead;
  // Rates end at the last message stored: waiting for messages the broker dropped (they
  // never come) must not dilute them. No progress for a few seconds ends the wait.
  let doneAt = performance.now();
  while (total() < published.acked && performance.now() - doneAt < SIZES.stallMs) {
    await sleep(20);
    const before = total();
    stored = await count();
    if (total() > before) doneAt = performance.now();
  }
  clearInterval(rssTimer);
  peakRss = Math.max(peakRss, memoryOf(bridgePid)?.rssMb ?? 0);
  const cpuMs = (cpuMsOf(bridgePid) ?? 0) - cpuBefore;
  await Promise.all(clients.map((c) => c.endAsync()));
  const readingsStored = stored.readings - base.readings;
  const deadLetters = stored.dead - base.dead;
  const allSeconds = (doneAt - started) / 1000;
  return {
    offeredPerSecond: ratePerSecond,
    seconds: published.seconds,
    messagesIn: published.acked,
    failedPublishes: published.failed,
    publishedPerSecond: Math.round(published.acked / published.seconds),
    readingsStored,
    deadLetters,
    lost: published.acked - readingsStored - deadLetters,
    storedPerSecond: Math.round((readingsStored + deadLetters) / allSeconds),
    drainMs: Math.round(doneAt - publishedAt),
    maxBacklog,
    bridgeRssMb: { idle: idleRss, peak: Math.round(peakRss) },
    bridgeCpuPercent: Math.round((cpuMs / (doneAt - started)) * 100),
  };
}
