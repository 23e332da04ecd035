import { readFileSync } from 'node:fs';

/**
 * Memory and CPU of the bench's processes from /proc (Linux). Each process is measured on
 * its own: the API, the bridge, the device simulator, Mosquitto, the PostgreSQL backends of
 * the bench database, and the bench itself (load generator).
 */
export type ProcessSet = Record<string, number | number[] | undefined>;

interface Memory {
  rssMb: number;
  anonMb: number;
  shmemMb: number;
}

export function memoryOf(pid: number): Memory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, anonMb: kb('RssAnon') / 1024, shmemMb: kb('RssShmem') / 1024 };
  } catch {
    return null; // gone, or /proc not readable (another user's process)
  }
}

/** CPU time (user + system) in ms from /proc/<pid>/stat, at Linux's 100 ticks per second. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * Resident memory of one entry of the set, in MB. A group of processes (PostgreSQL) counts
 * the private memory (RssAnon) of each plus the shared buffers once (the largest RssShmem):
 * plain RSS would count the shared buffers once per backend.
 */
function residentMb(pids: number | number[]): number | null {
  if (typeof pids === 'number') return memoryOf(pids)?.rssMb ?? null;
  let anon = 0;
  let shmem = 0;
  let seen = false;
  for (const pid of pids) {
    const m = memoryOf(pid);
    if (!m) continue;
    seen = true;
    anon += m.anonMb;
    shmem = Math.max(shmem, m.shmemMb);
  }
  return seen ? anon + shmem : null;
}

export type CpuSnapshot = Map<string, Map<number, number>>;

export function cpuSnapshot(processes: ProcessSet): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const [name, pids] of Object.entries(processes)) {
    if (pids === undefined) continue;
    const list = typeof pids === 'number' ? [pids] : pids;
    snapshot.set(name, new Map(list.map((pid) => [pid, cpuMsOf(pid) ?? 0])));
  }
  return snapshot;
}

/** CPU ms of each entry between two snapshots; a process that appeared meanwhile counts from zero. */
export function cpuBetween(start: CpuSnapshot, end: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, pids] of end) {
    let ms = 0;
    for (const [pid, value] of pids) ms += value - (start.get(name)?.get(pid) ?? 0);
    out[name] = ms;
  }
  return out;
}

/** Samples resident memory every `intervalMs` and keeps each entry's peak until `resetPeaks`. */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly peaks = new Map<string, number>();

  constructor(
    private readonly processes: () => ProcessSet,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  sample(): void {
    for (const [name, pids] of Object.entries(this.processes())) {
      if (pids === undefined) continue;
      const mb = residentMb(pids);
      if (mb !== null) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, mb));
    }
  }

  peaksMb(): Record<string, number> {
    return Object.fromEntries([...this.peaks].map(([k, v]) => [k, Math.round(v)]));
  }

  resetPeaks(): void {
    this.peaks.clear();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
