import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { countBookings, createBenchDatabase, seedBench } from './bench-database.ts';
import { createGraphQLClient } from './http-client.ts';
import { DEFAULT_SIZES, PHASES, type PhaseName, type PhaseResult, QUICK_SIZES, runPhase } from './phases.ts';
import {
  type ChildHandle,
  startApiProcess,
  startBridgeProcess,
  startMosquitto,
  startSimulatorProcess,
} from './processes.ts';
import {
  type BenchReport,
  checkTargets,
  markdown,
  phaseTable,
  targetTable,
  updateSection,
} from './report.ts';
import { MemorySampler } from './resources.ts';
import { runScale } from './scale.ts';

/**
 * `npm run bench`: the booking-core scenarios without k6, against a throwaway database on the
 * real PostgreSQL and the API started as its own process, next to the two baselines measured
 * in the same run (database floor, trivial GraphQL query). Prints the figures, writes
 * loadtests/results/bench-latest.json and updates BENCHMARKS.md.
 *
 * Then, as its own process once everything of the booking bench has stopped, the firmware
 * bridge bench (bridge.bench.ts, issue 3's figures), whose output and exit code pass through.
 *
 *   npm run bench                      all phases, then the bridge bench
 *   npm run bench -- --quick           every phase briefly (a smoke test of the harness), bridge too
 *   npm run bench -- --only trivial,availability     those phases only, no bridge bench
 *   npm run bench -- --scale           10 thousand vs 2 million bookings (opt-in, about 10 minutes)
 *   npm run bench -- --no-write        print only; no bridge bench (it always records its figures)
 *   npm run bench -- --no-bridge       the booking bench only
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'no-bridge': { type: 'boolean', default: false },
    'scale-bookings': { type: 'string' },
  },
});

const repoRoot = join(import.meta.dirname, '..', '..');
const resultsDir = join(repoRoot, 'loadtests', 'results');
const log = (line: string) => process.stdout.write(`${line}\n`);
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

if (values.scale) {
  const report = await runScale({
    log,
    historical: values['scale-bookings'] ? Number(values['scale-bookings']) : 2_000_000,
    command,
  });
  if (!values['no-write']) {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'scale-latest.json'), `${JSON.stringify(report.json, null, 2)}\n`);
    updateSection(join(repoRoot, 'BENCHMARKS.md'), 'scale', report.markdown);
  }
  log(report.markdown);
  process.exit(0);
}

const only = values.only ? (values.only.split(',') as PhaseName[]) : [...PHASES];
for (const name of only)
  if (!PHASES.includes(name)) throw new Error(`Unknown phase ${name}; phases: ${PHASES.join(', ')}`);
const sizes = values.quick ? QUICK_SIZES : DEFAULT_SIZES;

const loadBefore = loadavg()[0]!;
const benchStarted = Date.now();
// BENCH_API_ROOT: run the API from another checkout (e.g. a git worktree of an older commit)
// against the same harness, for before/after figures; that API applies its own migrations.
const apiRoot = process.env.BENCH_API_ROOT;
log('Bench: creating a throwaway database …');
const database = await createBenchDatabase({ migrate: !apiRoot });
const jwtSecret = randomBytes(32).toString('base64url');
let api: Awaited<ReturnType<typeof startApiProcess>> | undefined;
const children: ChildHandle[] = [];
let exitCode = 0;
try {
  const postgresVersion = (
    await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.handle.db)
  ).rows[0]!.v;
  log(
    'Bench: starting Mosquitto, the API, the firmware bridge and the device simulator, each its own process …',
  );
  const mosquitto = await startMosquitto();
  children.push(mosquitto);
  api = await startApiProcess(
    {
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '20',
      MQTT_URL: mosquitto.url,
      JWT_SECRET: jwtSecret,
      SEED_DEMO: 'false',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      RATE_LIMIT_ACCOUNT_MUTATIONS_PER_MINUTE: '0',
      RATE_LIMIT_IP_MUTATIONS_PER_MINUTE: '0',
    },
    process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean),
    apiRoot,
  );
  children.push(api);
  // Seeded after the API applied its migrations; the simulator plays the locks seeded here.
  const seeded = await seedBench(database.handle.db, { jwtSecret, accounts: 2000, rushBoxes: 10 });
  const devices = { DATABASE_URL: database.url, MQTT_URL: mosquitto.url, DATABASE_POOL_SIZE: '4' };
  const bridge = await startBridgeProcess({ ...devices, BRIDGE_POLL_INTERVAL_MS: '100' });
  children.push(bridge);
  const simulator = await startSimulatorProcess(devices);
  children.push(simulator);
  let postgresPids: number[] = await database.backendPids();
  const pidRefresh = setInterval(() => {
    database.backendPids().then(
      (pids) => {
        postgresPids = pids;
      },
      () => {},
    );
  }, 2000);
  pidRefresh.unref();
  const processes = () => ({
    api: api?.pid,
    bridge: bridge.pid,
    simulator: simulator.pid,
    mosquitto: mosquitto.pid,
    postgres: postgresPids,
    bench: process.pid,
  });
  const sampler = new MemorySampler(processes);
  sampler.start();
  const client = createGraphQLClient(api.baseUrl);
  const phases: PhaseResult[] = [];
  const env = {
    results: phases,
    client,
    database,
    seeded,
    sampler,
    processes,
    runId: randomBytes(4).toString('hex'),
    now: Date.now(),
    sizes,
    log,
  };
  for (const name of only) {
    const result = await runPhase(name, env);
    phases.push(result);
    const steps = Object.entries(result.steps)
      .map(
        ([step, s]) =>
          `${step} ${s.perSecond}/s p50 ${s.latencyMs.p50} p95 ${s.latencyMs.p95} p99 ${s.latencyMs.p99} ms, errors ${s.errors}`,
      )
      .join('; ');
    log(`    ${steps}`);
    log(
      `    CPU ms/request ${JSON.stringify(result.cpuMsPerRequest)}; peak RSS ${JSON.stringify(result.memoryPeakMb)} MB; overlaps ${result.overlapsAfter}`,
    );
    if (Object.keys(result.counters).length > 0) log(`    counters ${JSON.stringify(result.counters)}`);
  }
  clearInterval(pidRefresh);
  sampler.stop();
  client.close();

  const report: BenchReport = {
    command,
    machine: {
      nproc: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      postgres: `PostgreSQL ${postgresVersion}`,
      date: new Date().toISOString(),
      loadAverage: {
        before: Math.round(loadBefore * 100) / 100,
        after: Math.round(loadavg()[0]! * 100) / 100,
      },
    },
    phases,
    targets: checkTargets(phases),
    bookings: await countBookings(database.handle.db),
    graphqlOverlapCheck: null,
    seconds: Math.round((Date.now() - benchStarted) / 1000),
  };
  log('');
  log(targetTable(report.targets));
  log('');
  log(phaseTable(report.phases));
  if (!values['no-write'] && !values.quick) {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'bench-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    updateSection(join(repoRoot, 'BENCHMARKS.md'), 'latest', markdown(report));
    log('\nWrote loadtests/results/bench-latest.json and BENCHMARKS.md');
  }
} catch (error) {
  exitCode = 1;
  process.stderr.write(`Bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  if (api) process.stderr.write(`API output:\n${api.output()}\n`);
} finally {
  for (const child of children.reverse()) await child.stop();
  await database.drop();
}
const runBridgeBench = !values.only && !values['no-write'] && !values['no-bridge'];
if (runBridgeBench) {
  log('\nBench: the firmware bridge (loadtests/bench/bridge.bench.ts) …');
  const bridgeExit = await runChild(['--import', 'tsx', join('loadtests', 'bench', 'bridge.bench.ts')]);
  if (bridgeExit !== 0) log(`Bridge bench failed (exit code ${bridgeExit})`);
  exitCode ||= bridgeExit;
}
log(`\nBench: ${Math.round((Date.now() - benchStarted) / 1000)} s in all`);
process.exit(exitCode);

/** Runs `node <args>` in the repository with this process's output; resolves its exit code. */
function runChild(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...args, ...(values.quick ? ['--quick'] : [])], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    child.once('error', (error) => {
      process.stderr.write(`Could not start ${args.join(' ')}: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
