import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort } from '../../firmware-bridge/test-support/mosquitto.ts';
import { sleep } from './driver.ts';

/**
 * The production shape as separate processes, each with its own memory and CPU: the API
 * (`npm start`'s entry point), the firmware bridge, the device simulator and a Mosquitto of
 * the bench's own on a free loopback port (the machine's broker on 1883 is never used).
 */
const repoRoot = join(import.meta.dirname, '..', '..');
const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

export interface ChildHandle {
  name: string;
  pid: number;
  /** The last output of the process, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

interface StartOptions {
  name: string;
  /** Working directory: the repository, or another checkout of it (BENCH_API_ROOT). */
  cwd?: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Resolves true once the process is ready. */
  ready: (output: string) => Promise<boolean> | boolean;
  readyTimeoutMs?: number;
}

async function startProcess(options: StartOptions): Promise<ChildHandle> {
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let tail = '';
  // BENCH_LOG_DIR keeps each process's whole output (only the tail is kept otherwise), to find
  // the cause of an error the figures only count.
  const logDir = process.env.BENCH_LOG_DIR;
  const logFile = logDir ? join(logDir, `${options.name}.log`) : undefined;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: ChildHandle = {
    name: options.name,
    pid: child.pid!,
    output: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      if ((await Promise.race([exited.then(() => 'exited'), sleep(10_000)])) !== 'exited') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}:\n${tail}`);
    if (await Promise.resolve(options.ready(tail)).catch(() => false)) return handle;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} not ready in time:\n${tail}`);
    }
    await sleep(200);
  }
}

const answers200 = (url: string) => async () => (await fetch(url)).status === 200;

/**
 * The API's heap limit as deployed (compose.yaml): without it V8 lets garbage pile up to 430–460
 * MB resident under a thousand availability requests a second. With a limit it sizes the heap
 * more frugally: at 288 MB the process stayed near 230 MB through the booking phases and the
 * rush; at 160 MB it stayed there too, but availability cost about a fifth more CPU in
 * collections (BENCHMARKS.md).
 */
export const API_NODE_ARGS = ['--max-old-space-size=288'];

/**
 * `npm start`'s entry point with real servers. Ready when /readyz answers 200 (migrations
 * ran, database reachable). `nodeArgs`, e.g. --cpu-prof, show where the API spends its time.
 */
export async function startApiProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  root: string = repoRoot,
): Promise<ChildHandle & { baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const handle = await startProcess({
    name: 'api',
    cwd: root,
    command: process.execPath,
    args: [...API_NODE_ARGS, ...nodeArgs, '--import', 'tsx', 'services/api/main.ts'],
    // As deployed (compose.yaml): production mode, e.g. graphql-js skips its development checks.
    env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    ready: answers200(`${baseUrl}/readyz`),
  });
  return { ...handle, baseUrl };
}

export async function startBridgeProcess(env: Record<string, string>): Promise<ChildHandle> {
  const port = await freePort();
  return startProcess({
    name: 'bridge',
    command: process.execPath,
    args: ['--import', 'tsx', 'firmware-bridge/main.ts'],
    env: { BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(port), LOG_LEVEL: 'warn', ...env },
    ready: answers200(`http://127.0.0.1:${port}/readyz`),
  });
}

export async function startSimulatorProcess(env: Record<string, string>): Promise<ChildHandle> {
  return startProcess({
    name: 'simulator',
    command: process.execPath,
    args: ['--import', 'tsx', 'firmware-bridge/simulator/cli.ts'],
    // The door closes quickly: the journey's box is free for the next commuter.
    env: { LOG_LEVEL: 'warn', SIM_DOOR_CLOSE_MS: '200', ...env },
    ready: (output) => /Simulating \d+ devices/.test(output),
  });
}

/** A broker of the bench's own: anonymous, loopback only, no persistence. */
export async function startMosquitto(): Promise<ChildHandle & { url: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'swf-bench-mqtt-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 10000\n`,
  );
  const handle = await startProcess({
    name: 'mosquitto',
    command: MOSQUITTO,
    args: ['-c', conf],
    ready: () => canConnect(port),
  });
  return {
    ...handle,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
