import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/postgres.ts';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logging.ts';
import { startPaymentsService } from './payments.service-app.ts';
import { FakeStripe } from './test-support/fake-stripe.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fake: FakeStripe;
beforeAll(async () => {
  database = await createTestDatabase();
  fake = await new FakeStripe().start();
});
afterAll(async () => {
  await fake?.stop();
  await database?.drop();
});

const signed = (payload: string, secret: string) => ({
  'content-type': 'application/json',
  'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }),
});

describe('the payments service on its own', () => {
  it('serves health, readiness, metrics and the verified webhook', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'swf-pay-')),
      ...fake.env(),
    });
    const service = await startPaymentsService(config, { runWorkers: false, logger: createLogger('silent') });
    try {
      expect((await service.app.request('/healthz')).status).toBe(200);
      expect(await (await service.app.request('/healthz')).json()).toMatchObject({ service: 'payments' });
      expect((await service.app.request('/readyz')).status).toBe(200);
      expect((await service.app.request('/metrics')).status).toBe(200);
      const payload = JSON.stringify({
        id: 'evt_unrelated1',
        object: 'event',
        type: 'payment_intent.succeeded',
        created: Math.floor(Date.now() / 1000),
        data: {
          object: { id: 'pi_someone_else', object: 'payment_intent', metadata: { paymentId: 'not-a-uuid' } },
        },
      });
      const ok = await service.app.request('/payments/webhook', {
        method: 'POST',
        headers: signed(payload, fake.webhookSecret),
        body: payload,
      });
      expect(await ok.json()).toEqual({ received: true, outcome: 'ignored' });
      const bad = await service.app.request('/payments/webhook', {
        method: 'POST',
        headers: signed(payload, 'whsec_wrong'),
        body: payload,
      });
      expect(bad.status).toBe(400);
    } finally {
      await service.close();
    }
  });

  it('starts as a process on PAYMENTS_PORT and stops on SIGTERM', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    Object.assign(env, {
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'swf-pay-')),
      PAYMENTS_PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...fake.env(),
    });
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'services/payments/main.ts'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('Payments service:')) resolve();
        });
        child.once('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok', service: 'payments' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
