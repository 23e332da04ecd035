import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, freemem, totalmem } from 'node:os';
import { sql } from 'kysely';
import mqtt, { type MqttClient } from 'mqtt';
import { createBenchDatabase } from './bench-database.ts';
import { sleep } from './driver.ts';
import { startBridgeProcess, startMosquitto, startSimulatorProcess } from './processes.ts';
import { memoryOf } from './resources.ts';
import { Samples } from './stats.ts';

/**
 * `npm run bench:bridge`: the firmware bridge as its own process against a Mosquitto and a
 * throwaway PostgreSQL database of its own.
 * (a) unlock round trip: command row + NOTIFY (what the API's mutation writes) → outbox →
 *     MQTT → simulated lock (own process) → ack → bridge → status + NOTIFY, timed at the
 *     listener — the GraphQL layer in front is not part of this figure;
 * (b) sensor ingest: QoS 1 telemetry from several device clients at a target rate, then
 *     messages in = readings stored + dead letters, with the bridge's peak RSS;
 * (c) raw broker throughput, publisher → Mosquitto → subscriber, QoS 1, same payload size.
 */

const TENANT = 'soest';
const LOCKS = 20;
const SENSORS = 50;
const UNLOCKS_SEQUENTIAL = 300;
const UNLOCKS_CONCURRENT = { rounds: 10, width: 20 };
const INGEST = { ratePerSecond: 6_000, seconds: 20, clients: 8 };
/** Per client; below Mosquitto's max_inflight_messages (20). */
const MAX_INFLIGHT = 16;
const RAW_MESSAGES = 20_000;
const DRAIN_TIMEOUT_MS = 30_000;

const payloadOf = (i: number) =>
  JSON.stringify({ occupied: i % 2 === 0, battery: 80, at: new Date().toISOString() });
const PAYLOAD_BYTES = Buffer.byteLength(payloadOf(0));

const database = await createBenchDatabase();
const db = database.handle.db;
const children: { stop(): Promise<void> }[] = [];
try {
  const lockIds = Array.from({ length: LOCKS }, (_, i) => `bench-lock-${i}`);
  const sensorIds = Array.from({ length: SENSORS }, (_, i) => `bench-sensor-${i}`);
  await db
    .insertInto('device')
    .values([
      ...lockIds.map((id) => ({
        tenant_id: TENANT,
        id,
        kind: 'lock',
        secret: randomBytes(32).toString('hex'),
      })),
      ...sensorIds.map((id) => ({ tenant_id: TENANT, id, kind: 'sensor' })),
    ])
    .execute();

  const broker = await startMosquitto();
  children.push(broker);
  const common = { DATABASE_URL: database.url, MQTT_URL: broker.url };
  const bridge = await startBridgeProcess({
    ...common,
    MQTT_USERNAME: 'bridge',
    BRIDGE_INSTANCE_ID: 'bench',
  });
  children.push(bridge);
  const simulator = await startSimulatorProcess({ ...common, SIM_DEVICE_PASSWORD: 'bench' });
  children.push(simulator);

  // (a) unlock round trips
  const waiting = new Map<string, () => void>();
  // A final status that arrives before its id is registered is kept here.
  const early = new Set<string>();
  const unlisten = await database.handle.listen('device_command_changed', (payload) => {
    const change = JSON.parse(payload) as { id: string; status: string };
    if (change.status === 'sent' || change.status === 'pending') return;
    const done = waiting.get(change.id);
    if (done) done();
    else early.add(change.id);
  });
  const unlock = async (deviceId: string): Promise<number> => {
    const started = performance.now();
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('unlock timed out')), 5_000);
      const id = insertCommand(deviceId);
      void id.then((commandId) => {
        const finish = () => {
          clearTimeout(timer);
          waiting.delete(commandId);
          resolve();
        };
        if (early.delete(commandId)) finish();
        else waiting.set(commandId, finish);
      }, reject);
    });
    await done;
    return performance.now() - started;
  };
  const insertCommand = async (deviceId: string): Promise<string> => {
    const now = new Date();
    const row = await db.transaction().execute(async (tx) => {
      const r = await tx
        .insertInto('device_command')
        .values({
          tenant_id: TENANT,
          device_id: deviceId,
          action: 'unlock',
          params: '{}',
          issued_at: now,
          expires_at: new Date(now.getTime() + 30_000),
          next_attempt_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('device_command_transition')
        .values({ command_id: r.id, tenant_id: TENANT, status: 'pending', at: now })
        .execute();
      await sql`select pg_notify('device_command_created', ${r.id})`.execute(tx);
      return r;
    });
    return row.id;
  };
  for (let i = 0; i < 20; i++) await unlock(lockIds[i % LOCKS]!); // warm-up
  const sequential = new Samples();
  for (let i = 0; i < UNLOCKS_SEQUENTIAL; i++) sequential.add(await unlock(lockIds[i % LOCKS]!));
  const concurrent = new Samples();
  const concurrentStart = performance.now();
  for (let r = 0; r < UNLOCKS_CONCURRENT.rounds; r++) {
    const times = await Promise.all(lockIds.slice(0, UNLOCKS_CONCURRENT.width).map((id) => unlock(id)));
    for (const t of times) concurrent.add(t);
  }
  const concurrentSeconds = (performance.now() - concurrentStart) / 1000;
  await unlisten();
  const statuses = await db
    .selectFrom('device_command')
    .select(['status', db.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();

  // (b) sensor ingest
  const count = async () => {
    const readings = await sql<{
      n: string;
    }>`select count(*)::text as n from sensor_reading where device_id like 'bench-sensor-%'`.execute(db);
    const dead = await sql<{ n: string }>`select count(*)::text as n from dead_letter`.execute(db);
    return { readings: Number(readings.rows[0]!.n), dead: Number(dead.rows[0]!.n) };
  };
  const base = await count();
  let peakRss = memoryOf(bridge.pid)?.rssMb ?? 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, memoryOf(bridge.pid)?.rssMb ?? 0);
  }, 100);
  const clients = await Promise.all(
    Array.from({ length: INGEST.clients }, (_, c) =>
      mqtt.connectAsync(broker.url, { clientId: `bench-pub-${c}`, protocolVersion: 5 }),
    ),
  );
  const perClient = Math.floor((INGEST.ratePerSecond * INGEST.seconds) / INGEST.clients);
  const perClientRate = INGEST.ratePerSecond / INGEST.clients;
  const ingestStart = performance.now();
  const sent = await Promise.all(
    clients.map(async (client, c) => {
      let n = 0;
      while (n < perClient) {
        const batch = Math.min(MAX_INFLIGHT, perClient - n);
        await Promise.all(
          Array.from({ length: batch }, (_, k) => {
            const sensor = sensorIds[(c * 7 + n + k) % SENSORS]!;
            return client.publishAsync(`swf/${TENANT}/${sensor}/telemetry`, payloadOf(n + k), { qos: 1 });
          }),
        );
        n += batch;
        const ahead = (n / perClientRate) * 1000 - (performance.now() - ingestStart);
        if (ahead > 0) await sleep(ahead);
      }
      return n;
    }),
  );
  const publishSeconds = (performance.now() - ingestStart) / 1000;
  const messagesIn = sent.reduce((a, b) => a + b, 0);
  let stored = await count();
  while (
    stored.readings - base.readings + stored.dead - base.dead < messagesIn &&
    performance.now() - ingestStart < publishSeconds * 1000 + DRAIN_TIMEOUT_MS
  ) {
    await sleep(100);
    stored = await count();
  }
  const storedSeconds = (performance.now() - ingestStart) / 1000;
  clearInterval(sampler);
  await Promise.all(clients.map((c) => c.endAsync()));
  const readingsStored = stored.readings - base.readings;
  const deadLetters = stored.dead - base.dead;

  // (c) raw broker throughput
  const raw = await rawThroughput(broker.url);

  const seqS = sequential.summary();
  const conS = concurrent.summary();
  const ingestRate = Math.round(messagesIn / publishSeconds);
  const storedRate = Math.round((readingsStored + deadLetters) / storedSeconds);
  const lost = messagesIn - readingsStored - deadLetters;
  const rows: [string, string, string][] = [
    [
      'unlock sequential (ms)',
      `n=${seqS.count} p50 ${seqS.p50} · p95 ${seqS.p95} · p99 ${seqS.p99} · max ${seqS.max}`,
      `p95 < 100 ms: ${seqS.p95 < 100 ? 'met' : 'MISSED'}`,
    ],
    [
      'unlock concurrent ×20 (ms)',
      `n=${conS.count} p50 ${conS.p50} · p95 ${conS.p95} · p99 ${conS.p99} · max ${conS.max} · ${Math.round(conS.count / concurrentSeconds)} unlocks/s`,
      `p95 < 100 ms: ${conS.p95 < 100 ? 'met' : 'MISSED'}`,
    ],
    ['command statuses', statuses.map((s) => `${s.status} ${s.n}`).join(', '), ''],
    [
      'sensor ingest',
      `${messagesIn} msgs in ${publishSeconds.toFixed(1)} s = ${ingestRate}/s published; stored ${readingsStored} + dead ${deadLetters} in ${storedSeconds.toFixed(1)} s = ${storedRate}/s`,
      `≥ 5,000/s, nothing lost: ${ingestRate >= 5000 && lost === 0 ? 'met' : `MISSED (lost ${lost})`}`,
    ],
    ['bridge peak RSS', `${peakRss.toFixed(0)} MB`, `< 200 MB: ${peakRss < 200 ? 'met' : 'MISSED'}`],
    [
      'raw Mosquitto QoS 1',
      `${raw.messages} msgs of ${PAYLOAD_BYTES} B in ${raw.seconds.toFixed(2)} s = ${Math.round(raw.messages / raw.seconds)}/s, received ${raw.received}`,
      'baseline',
    ],
  ];
  const table = [
    '| measure | result | target |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  writeSection(table);
} finally {
  for (const child of children.reverse()) await child.stop().catch(() => {});
  await database.drop();
}

async function rawThroughput(url: string) {
  const sub: MqttClient = await mqtt.connectAsync(url, { clientId: 'bench-raw-sub', protocolVersion: 5 });
  const pub: MqttClient = await mqtt.connectAsync(url, { clientId: 'bench-raw-pub', protocolVersion: 5 });
  let received = 0;
  const all = new Promise<void>((resolve) => {
    sub.on('message', () => {
      if (++received === RAW_MESSAGES) resolve();
    });
  });
  await sub.subscribeAsync('bench/raw', { qos: 1 });
  const start = performance.now();
  for (let n = 0; n < RAW_MESSAGES; n += MAX_INFLIGHT) {
    await Promise.all(
      Array.from({ length: Math.min(MAX_INFLIGHT, RAW_MESSAGES - n) }, (_, k) =>
        pub.publishAsync('bench/raw', payloadOf(n + k), { qos: 1 }),
      ),
    );
  }
  await Promise.race([all, sleep(DRAIN_TIMEOUT_MS)]);
  const seconds = (performance.now() - start) / 1000;
  await pub.endAsync();
  await sub.endAsync();
  return { messages: RAW_MESSAGES, received, seconds };
}

function writeSection(table: string) {
  const file = new URL('../../BENCHMARKS.md', import.meta.url);
  const start = '<!-- bridge-bench:start -->';
  const end = '<!-- bridge-bench:end -->';
  const memGb = (totalmem() / 2 ** 30).toFixed(1);
  const section = [
    start,
    '## Firmware bridge',
    '',
    `Command: \`npm run bench:bridge\` (loadtests/bench/bridge.bench.ts). Date: ${new Date().toISOString()}.`,
    `Machine: ${availableParallelism()} CPUs, ${memGb} GB RAM (${(freemem() / 2 ** 30).toFixed(1)} GB free), Node ${process.version}, PostgreSQL on 127.0.0.1, Mosquitto started by the bench.`,
    'Processes: bridge (`firmware-bridge/main.ts`), simulator (`firmware-bridge/simulator/cli.ts`) and Mosquitto as children; the driver inserts commands as the API does (row + transition + NOTIFY) and times until the `device_command_changed` notification of the final status, so the GraphQL layer is not included.',
    `Ingest: ${INGEST.clients} clients, QoS 1, at most ${MAX_INFLIGHT} in flight each, target ${INGEST.ratePerSecond}/s for ${INGEST.seconds} s to ${SENSORS} sensors; the bridge batches (50 ms / 500 messages).`,
    '',
    table,
    end,
  ].join('\n');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const at = text.indexOf(start);
  const stop = text.indexOf(end);
  const next =
    at >= 0 && stop > at
      ? text.slice(0, at) + section + text.slice(stop + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
