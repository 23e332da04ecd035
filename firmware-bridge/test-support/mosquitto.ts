import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A Mosquitto of a test's own, on a free port, with the project's mosquitto.conf and ACL
 * (firmware-bridge/mosquitto) adapted to a temporary folder. The machine's Mosquitto on 1883
 * is never touched.
 */

const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
const projectDir = join(import.meta.dirname, '..', 'mosquitto');

export interface MqttUser {
  username: string;
  password: string;
}

export interface TestMosquitto {
  port: number;
  url: string;
  dir: string;
  /** Stops the broker (SIGTERM saves the persistence file, SIGKILL does not). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port with the same files. */
  start(): Promise<void>;
  /** Stop for good and remove the folder. */
  dispose(): Promise<void>;
  log(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function replaceOrThrow(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text))
    throw new Error(`mosquitto.conf no longer contains ${pattern}; adapt the test harness`);
  return text.replace(pattern, replacement);
}

/** The project's configuration with ports and paths of this test. */
export function adaptConfig(conf: string, dir: string, port: number, healthPort: number): string {
  let out = replaceOrThrow(conf, /^listener 1883$/m, `listener ${port} 127.0.0.1`);
  out = replaceOrThrow(out, /^listener 1880 127\.0\.0\.1$/m, `listener ${healthPort} 127.0.0.1`);
  out = replaceOrThrow(out, /\/mosquitto\/config\/passwd/g, join(dir, 'passwd'));
  out = replaceOrThrow(out, /\/mosquitto\/config\/acl/g, join(dir, 'acl'));
  out = replaceOrThrow(out, /\/mosquitto\/data\//g, `${dir}/`);
  out = replaceOrThrow(out, /^log_dest stdout$/m, `log_dest file ${join(dir, 'mosquitto.log')}`);
  // Run as whoever runs the tests: as root, Mosquitto would otherwise switch to user
  // "mosquitto", which cannot read the temporary folder.
  return `${out}\nuser ${process.env.USER ?? 'root'}\n`;
}

export async function startTestMosquitto(users: MqttUser[]): Promise<TestMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'swf-mosquitto-'));
  const port = await freePort();
  const healthPort = await freePort();
  const passwd = join(dir, 'passwd');
  users.forEach((u, i) => {
    execFileSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', passwd, u.username, u.password]);
  });
  writeFileSync(join(dir, 'acl'), readFileSync(join(projectDir, 'acl')));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    adaptConfig(readFileSync(join(projectDir, 'mosquitto.conf'), 'utf8'), dir, port, healthPort),
  );

  let child: ChildProcess | undefined;
  const log = () => {
    try {
      return readFileSync(join(dir, 'mosquitto.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const start = async () => {
    const proc = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child = proc;
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        throw new Error(`mosquitto did not start (exit ${proc.exitCode}): ${stderr}\n${log()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  };
  await start();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    stop,
    start,
    log,
    async dispose() {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True once something accepts TCP connections on the loopback port. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
