import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './mosquitto.ts';
import { eventually } from './wait.ts';

const root = join(import.meta.dirname, '..', '..');

export interface BridgeProcess {
  port: number;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  waitReady(): Promise<void>;
}

/** firmware-bridge/main.ts as its own process, as in production. */
export async function spawnBridgeProcess(env: Record<string, string>): Promise<BridgeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'firmware-bridge/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', BRIDGE_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    port,
    child,
    output: () => out,
    exited,
    async waitReady() {
      await eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`bridge process exited ${child.exitCode}: ${out}`);
          const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
          return res?.status === 200;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: 'bridge process ready' },
      );
    },
  };
}
