import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../core/config.ts';

const keys = {
  STRIPE_SECRET_KEY: 'sk_test_abc123',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_abc123',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Stripe settings', () => {
  it('unset (or empty) means pay on site; PAYMENTS_PORT defaults to 4200', () => {
    expect(loadConfig({}).stripe).toBeUndefined();
    expect(loadConfig({ STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '' }).stripe).toBeUndefined();
    expect(loadConfig({}).paymentsPort).toBe(4200);
  });

  it('all three keys switch Stripe on; the API host may point at a local server', () => {
    expect(
      loadConfig({
        ...keys,
        STRIPE_API_HOST: '127.0.0.1',
        STRIPE_API_PORT: '12111',
        STRIPE_API_PROTOCOL: 'http',
      }).stripe,
    ).toEqual({
      secretKey: keys.STRIPE_SECRET_KEY,
      webhookSecret: keys.STRIPE_WEBHOOK_SECRET,
      publishableKey: keys.STRIPE_PUBLISHABLE_KEY,
      apiHost: '127.0.0.1',
      apiPort: 12111,
      apiProtocol: 'http',
    });
  });

  it('a partial setup names every missing key; malformed keys are refused', () => {
    expect(problems({ STRIPE_SECRET_KEY: keys.STRIPE_SECRET_KEY })).toEqual([
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: required/),
      expect.stringMatching(/^STRIPE_PUBLISHABLE_KEY: required/),
    ]);
    expect(problems({ ...keys, STRIPE_SECRET_KEY: 'pk_test_abc' })).toEqual([
      expect.stringMatching(/^STRIPE_SECRET_KEY:/),
    ]);
    expect(problems({ ...keys, STRIPE_WEBHOOK_SECRET: 'secret' })).toEqual([
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET:/),
    ]);
    expect(problems({ PAYMENTS_PORT: '65536' })).toEqual([expect.stringMatching(/^PAYMENTS_PORT:/)]);
    expect(problems({ STRIPE_API_PROTOCOL: 'ftp' })).toEqual([
      expect.stringMatching(/^STRIPE_API_PROTOCOL:/),
    ]);
  });
});
