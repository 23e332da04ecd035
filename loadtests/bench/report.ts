import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { PhaseResult } from './phases.ts';

/** Targets of issue 5 on the 2-core machine, each computed from figures of the same run. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGb: number;
  node: string;
  postgres: string;
  date: string;
  /** 1-minute load average before and after the run: other work on the machine skews the figures. */
  loadAverage: { before: number; after: number };
}

export interface BenchReport {
  command: string;
  machine: Machine;
  phases: PhaseResult[];
  targets: TargetCheck[];
  bookings: Record<string, number>;
  graphqlOverlapCheck: unknown;
  /** Wall-clock seconds of the booking bench, start-up and teardown included. */
  seconds?: number;
}

const step = (phases: PhaseResult[], phase: string, name: string) =>
  phases.find((p) => p.name === phase)?.steps[name];

const x = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '–');

export function checkTargets(phases: PhaseResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const floor = step(phases, 'dbFloor', 'dbFloor:insert');
  const booking = step(phases, 'createBooking', 'createBooking');
  if (floor && booking) {
    checks.push({
      target: 'createBooking ≥ 0.5 × database floor',
      measured: `${booking.perSecond}/s vs ${floor.perSecond}/s = ${x(booking.perSecond, floor.perSecond)}×`,
      met: booking.perSecond >= 0.5 * floor.perSecond,
    });
  }
  const trivial = step(phases, 'trivial', 'trivial');
  const availability = step(phases, 'availability', 'availability');
  if (trivial && availability) {
    checks.push({
      target: 'availability ≥ 0.6 × trivial query',
      measured: `${availability.perSecond}/s vs ${trivial.perSecond}/s = ${x(availability.perSecond, trivial.perSecond)}×`,
      met: availability.perSecond >= 0.6 * trivial.perSecond,
    });
  }
  const atRate = phases.find((p) => p.name === 'availabilityAtRate');
  const atRateStep = atRate?.steps.availabilityAtRate;
  const trivialAtRate = step(phases, 'trivialAtRate', 'trivialAtRate');
  if (atRate && atRateStep) {
    checks.push({
      target: 'availability at 0.6 × the trivial rate: p99 < 50 ms, nothing dropped',
      measured: `${atRateStep.perSecond}/s served, p99 ${atRateStep.latencyMs.p99} ms, ${atRate.droppedIterations} dropped${trivialAtRate ? ` (the trivial query at the same rate: p99 ${trivialAtRate.latencyMs.p99} ms)` : ''}`,
      met: atRateStep.latencyMs.p99 < 50 && atRate.droppedIterations === 0,
    });
  }
  const rush = phases.find((p) => p.name === 'rush');
  if (rush) {
    const fiveXx = Object.values(rush.steps).reduce(
      (a, s) => a + Object.entries(s.outcomes).reduce((b, [k, v]) => b + (/^http_5/.test(k) ? v : 0), 0),
      0,
    );
    checks.push({ target: 'rush: no 5xx', measured: `${fiveXx} responses with 5xx`, met: fiveXx === 0 });
    checks.push({
      target: 'rush: no double booking',
      measured: `${rush.overlapsAfter} overlapping pairs`,
      met: rush.overlapsAfter === 0,
    });
    const apiPeak = rush.memoryPeakMb.api ?? Number.NaN;
    checks.push({ target: 'rush: API RSS < 300 MB', measured: `${apiPeak} MB peak`, met: apiPeak < 300 });
  }
  const overlaps = phases.reduce((a, p) => a + p.overlapsAfter, 0);
  checks.push({
    target: 'no overlapping live bookings after any phase',
    measured: String(overlaps),
    met: overlaps === 0,
  });
  return checks;
}

export function phaseTable(phases: PhaseResult[]): string {
  const rows = [
    '| phase | step | requests | per s | p50 ms | p95 ms | p99 ms | errors | outcomes | peak RSS MB (api / postgres / bench) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const p of phases) {
    for (const [name, s] of Object.entries(p.steps)) {
      const outcomes = Object.entries(s.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const m = p.memoryPeakMb;
      rows.push(
        `| ${p.name} | ${name} | ${s.requests} | ${s.perSecond} | ${s.latencyMs.p50} | ${s.latencyMs.p95} | ${s.latencyMs.p99} | ${s.errors} | ${outcomes} | ${m.api ?? '–'} / ${m.postgres ?? '–'} / ${m.bench ?? '–'} |`,
      );
    }
  }
  return rows.join('\n');
}

export function targetTable(targets: TargetCheck[]): string {
  return [
    '| target | measured | met |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}

export function markdown(report: BenchReport): string {
  const m = report.machine;
  const executors = report.phases
    .map((p) => `- ${p.name}: ${p.executor}, ${p.seconds} s measured`)
    .join('\n');
  const counters = report.phases
    .filter((p) => Object.keys(p.counters).length > 0)
    .map(
      (p) =>
        `- ${p.name}: ${Object.entries(p.counters)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    )
    .join('\n');
  const missed = report.targets.filter((t) => !t.met);
  return [
    `Command: \`${report.command}\` — ${m.date}${report.seconds ? `, ${report.seconds} s for the booking bench` : ''}`,
    '',
    `Machine: ${m.nproc} cores (\`nproc\`), ${m.cpu}, ${m.memoryGb} GB memory, Node ${m.node}, ${m.postgres}; load generator, API and PostgreSQL on the same machine; 1-minute load average ${m.loadAverage.before} before, ${m.loadAverage.after} after.`,
    '',
    targetTable(report.targets),
    '',
    ...(missed.length > 0
      ? [
          `Not met: ${missed.map((t) => `${t.target} (${t.measured})`).join('; ')}. Why, and what was cut so far: "GraphQL overhead" below.`,
          '',
        ]
      : []),
    phaseTable(report.phases),
    '',
    'Executors:',
    executors,
    '',
    ...(counters ? ['Counters:', counters, ''] : []),
    `Bookings in the database at the end: ${Object.entries(report.bookings)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  ].join('\n');
}

/** Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` in BENCHMARKS.md. */
export function updateSection(file: string, name: string, content: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${start}\n${content.trim()}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next =
    from >= 0 && to > from
      ? text.slice(0, from) + block + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
