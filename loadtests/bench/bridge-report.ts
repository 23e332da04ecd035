import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import type { RawBaseline } from './bridge-publishers.ts';
import type { UnlockPhase } from './bridge-unlock.ts';
import type { LatencySummary } from './stats.ts';

/** The figures of one `npm run bench:bridge`, its target table and its BENCHMARKS.md section. */
export interface IngestResult {
  offeredPerSecond: number;
  seconds: number;
  messagesIn: number;
  failedPublishes: number;
  publishedPerSecond: number;
  readingsStored: number;
  deadLetters: number;
  /** messages in − readings stored − dead letters, counted after the drain. */
  lost: number;
  /** From the first publication until everything was stored. */
  storedPerSecond: number;
  /** After the last PUBACK, until the last reading was stored. */
  drainMs: number;
  /** Largest difference published − stored seen while publishing. */
  maxBacklog: number;
  bridgeRssMb: { idle: number; peak: number };
  bridgeCpuPercent: number;
}

export interface BridgeBenchReport {
  command: string;
  date: string;
  machine: string;
  loadBefore: number;
  loadAfter: number;
  settings: string;
  raw: RawBaseline;
  sequential: UnlockPhase;
  concurrent: UnlockPhase;
  concurrentWidth: number;
  ingest: IngestResult;
  /** The same at a higher rate than the target: not a target, the margin. */
  headroom: IngestResult;
}

export function machineLine(): string {
  let mosquitto = 'unknown';
  try {
    mosquitto = execFileSync(process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto', ['-h'], {
      encoding: 'utf8',
    }).split('\n')[0]!;
  } catch (error) {
    // `mosquitto -h` exits 3 after printing its usage.
    const out = (error as { stdout?: string }).stdout ?? '';
    mosquitto = out.split('\n')[0] || mosquitto;
  }
  return `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${mosquitto}`;
}

export const loadAverage = () => Math.round(loadavg()[0]! * 100) / 100;

const fmt = (n: number) => n.toLocaleString('en-US');
const lat = (s: LatencySummary) => `p50 ${s.p50} · p95 ${s.p95} · p99 ${s.p99} · max ${s.max}`;

export interface Target {
  name: string;
  target: string;
  result: string;
  met: boolean;
}

export function targetsOf(r: BridgeBenchReport): Target[] {
  const i = r.ingest;
  return [
    {
      name: 'unlock round trip p95, one at a time',
      target: '< 100 ms',
      result: `${r.sequential.total.p95} ms`,
      met: r.sequential.total.p95 < 100 && r.sequential.total.count > 0,
    },
    {
      name: 'sensor ingest, sustained',
      target: '≥ 5,000 msg/s stored',
      result: `${fmt(i.storedPerSecond)} msg/s`,
      met: i.storedPerSecond >= 5000,
    },
    {
      name: 'nothing lost (in = stored + dead letters)',
      target: '0 lost',
      result: `${fmt(i.messagesIn)} = ${fmt(i.readingsStored)} + ${fmt(i.deadLetters)}, lost ${fmt(i.lost)}`,
      met: i.lost === 0 && i.failedPublishes === 0,
    },
    {
      name: 'bridge resident memory during ingest',
      target: '< 200 MB',
      result: `${i.bridgeRssMb.peak} MB peak`,
      met: i.bridgeRssMb.peak < 200,
    },
  ];
}

export function targetTable(targets: Target[]): string {
  return [
    '| target | required | result | |',
    '|---|---|---|---|',
    ...targets.map((t) => `| ${t.name} | ${t.target} | ${t.result} | ${t.met ? 'met' : '**not met**'} |`),
  ].join('\n');
}

export function figuresTable(r: BridgeBenchReport): string {
  const i = r.ingest;
  const rawRate = Math.round(r.raw.received / r.raw.seconds);
  const row = (measure: string, result: string) => `| ${measure} | ${result} |`;
  const unlock = (label: string, u: UnlockPhase) => [
    row(`${label}: GraphQL round trip (ms)`, `n=${u.total.count} ${lat(u.total)} · ${u.perSecond} unlocks/s`),
    row(`${label}: outbox pickup, pending → sent (ms)`, lat(u.pickup)),
    row(`${label}: device leg, sent → acked (ms)`, lat(u.deviceLeg)),
    row(`${label}: API and HTTP, the rest (ms)`, lat(u.api)),
    row(
      `${label}: answers`,
      Object.entries(u.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ),
  ];
  return [
    '| measure | result |',
    '|---|---|',
    row(
      'raw Mosquitto QoS 1, same publishers, one subscriber (baseline)',
      `${fmt(r.raw.received)} of ${fmt(r.raw.published.acked)} received in ${r.raw.seconds.toFixed(2)} s = **${fmt(rawRate)} msg/s**${
        r.raw.received < r.raw.published.acked
          ? ` (the publishers outran the subscriber: Mosquitto dropped ${fmt(r.raw.published.acked - r.raw.received)} beyond its per-client queue, max_queued_messages)`
          : ''
      }`,
    ),
    ...unlock('unlock one at a time', r.sequential),
    ...unlock(`unlock ${r.concurrentWidth} at once`, r.concurrent),
    row(
      'sensor ingest: published (PUBACKed)',
      `${fmt(i.messagesIn)} in ${i.seconds.toFixed(1)} s = ${fmt(i.publishedPerSecond)} msg/s (offered ${fmt(i.offeredPerSecond)}/s), ${i.failedPublishes} failed`,
    ),
    row(
      'sensor ingest: stored in PostgreSQL',
      `${fmt(i.readingsStored)} readings + ${fmt(i.deadLetters)} dead letters = **${fmt(i.storedPerSecond)} msg/s**; last stored ${fmt(i.drainMs)} ms after the last PUBACK; largest backlog ${fmt(i.maxBacklog)}`,
    ),
    row(
      `headroom: ${fmt(r.headroom.offeredPerSecond)}/s offered for ${r.headroom.seconds.toFixed(1)} s`,
      `${fmt(r.headroom.publishedPerSecond)} msg/s published, **${fmt(r.headroom.storedPerSecond)} msg/s** stored, lost ${fmt(r.headroom.lost)}, largest backlog ${fmt(r.headroom.maxBacklog)}, bridge RSS peak ${r.headroom.bridgeRssMb.peak} MB, CPU ${r.headroom.bridgeCpuPercent} %`,
    ),
    row(
      'bridge process during ingest',
      `RSS ${i.bridgeRssMb.idle} MB before, ${i.bridgeRssMb.peak} MB peak; CPU ${i.bridgeCpuPercent} % of one core`,
    ),
  ].join('\n');
}

/** The section's body; report.ts's updateSection puts it between `<!-- bench:bridge:… -->`. */
export function sectionOf(r: BridgeBenchReport): string {
  return [
    '## Firmware bridge — `npm run bench:bridge`',
    '',
    `Command: \`${r.command}\` — ${r.date}`,
    '',
    `Machine: ${r.machine}; 1-minute load average ${r.loadBefore} before, ${r.loadAfter} after (the machine is shared).`,
    '',
    r.settings,
    '',
    targetTable(targetsOf(r)),
    '',
    figuresTable(r),
  ].join('\n');
}
