import { z } from 'zod';

/**
 * Every setting the platform reads from its environment, validated once at start-up.
 * An empty string counts as unset, so `FOO=` in a .env file falls back to the default
 * instead of failing in a confusing way.
 */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
// Digits only: Number() would also take "1e3" or "0x10", which nobody means as a port.
const int = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .default(fallback),
  );

const EnvSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUnset, z.enum(['development', 'test', 'production']).default('development')),
  HOST: z.preprocess(emptyAsUnset, z.string().min(1).default('127.0.0.1')),
  PORT: int(1, 65535, 4000),
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATABASE_POOL_SIZE: int(1, 200, 10),
  // Off behind a pooler in transaction mode (PgBouncer), which cannot keep prepared statements.
  DATABASE_PREPARED_STATEMENTS: z.preprocess(emptyAsUnset, z.enum(['true', 'false']).default('true')),
  // Mutations per minute (token bucket, per API process); 0 switches the limit off.
  RATE_LIMIT_ACCOUNT_MUTATIONS_PER_MINUTE: int(0, 1_000_000, 600),
  RATE_LIMIT_IP_MUTATIONS_PER_MINUTE: int(0, 10_000_000, 6000),
  // Behind a reverse proxy: take the client address from the last X-Forwarded-For entry.
  RATE_LIMIT_TRUST_PROXY: z.preprocess(emptyAsUnset, z.enum(['true', 'false']).default('false')),
  DATA_DIR: z.preprocess(emptyAsUnset, z.string().min(1).default('.data')),
  JWT_SECRET: z.preprocess(emptyAsUnset, z.string().min(32, 'must be at least 32 characters').optional()),
  ACCESS_TOKEN_TTL_MINUTES: int(1, 60 * 24 * 30, 12 * 60),
  LOG_LEVEL: z.preprocess(
    emptyAsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  SMTP_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  MAIL_FROM: z.preprocess(
    emptyAsUnset,
    z.string().min(3).default('Mobilität Südwestfalen <no-reply@localhost>'),
  ),
  SWEEP_INTERVAL_MS: int(200, 3_600_000, 10_000),
  GRAPHQL_MAX_DEPTH: int(2, 50, 10),
  GRAPHQL_MAX_COST: int(100, 1_000_000, 5000),
  // How long an availability answer is served from memory at most (services/garages/availability-cache.ts); 0: off.
  AVAILABILITY_CACHE_MS: int(0, 300_000, 30_000),
  MAX_BODY_BYTES: int(1024, 10_000_000, 100_000),
  SEED_DEMO: z.preprocess(emptyAsUnset, z.enum(['true', 'false']).optional()),
  LOCK_COMMAND_TIMEOUT_MS: int(500, 60_000, 5000),
  MQTT_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^mqtts?:\/\//, 'must be an mqtt:// or mqtts:// URL')
      .optional(),
  ),
  MQTT_EMBEDDED_PORT: int(1, 65535, 1884),
  // Public GBFS feeds (services/opendata): its own process, and inside the API when embedded.
  OPENDATA_PORT: int(1, 65535, 4300),
  OPENDATA_PUBLIC_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL')
      .optional(),
  ),
  OPENDATA_IN_API: z.preprocess(emptyAsUnset, z.enum(['true', 'false']).optional()),
  GBFS_CONTACT_EMAIL: z.preprocess(
    emptyAsUnset,
    z.email('must be an e-mail address').default('opendata@example.org'),
  ),
  // Stripe: an unset secret key means "pay on site" (the embedded default).
  STRIPE_SECRET_KEY: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, 'must be a Stripe secret key (sk_test_… or sk_live_…)')
      .optional(),
  ),
  STRIPE_WEBHOOK_SECRET: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9_]+$/, 'must be a webhook signing secret (whsec_…)')
      .optional(),
  ),
  STRIPE_PUBLISHABLE_KEY: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^pk_(test|live)_[A-Za-z0-9_]+$/, 'must be a Stripe publishable key (pk_test_… or pk_live_…)')
      .optional(),
  ),
  // Only to point the SDK at a local server (tests); unset: api.stripe.com.
  STRIPE_API_HOST: z.preprocess(emptyAsUnset, z.string().min(1).optional()),
  STRIPE_API_PORT: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(1).max(65535))
      .optional(),
  ),
  STRIPE_API_PROTOCOL: z.preprocess(emptyAsUnset, z.enum(['http', 'https']).optional()),
  PAYMENTS_PORT: int(1, 65535, 4200),
  // The browser app's build output, served at `/` by the API (npm run build:web writes it).
  WEB_DIST_DIR: z.preprocess(emptyAsUnset, z.string().min(1).default('services/web/dist')),
  // Optional map tiles for the web app, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png;
  // unset: the app shows its own plot of positions and needs no tile server.
  MAP_TILE_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/, 'must be an http(s) URL template with {z}, {x} and {y}')
      .optional(),
  ),
  MAP_ATTRIBUTION: z.preprocess(emptyAsUnset, z.string().max(300).default('© OpenStreetMap contributors')),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  host: string;
  port: number;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  databasePreparedStatements: boolean;
  rateLimit: { accountPerMinute: number; ipPerMinute: number; trustProxy: boolean };
  dataDir: string;
  jwtSecret: string | undefined;
  accessTokenTtlMinutes: number;
  logLevel: Env['LOG_LEVEL'];
  smtpUrl: string | undefined;
  mailFrom: string;
  sweepIntervalMs: number;
  graphqlMaxDepth: number;
  graphqlMaxCost: number;
  availabilityCacheMs: number;
  maxBodyBytes: number;
  seedDemo: boolean;
  lockCommandTimeoutMs: number;
  mqttUrl: string | undefined;
  mqttEmbeddedPort: number;
  opendataPort: number;
  /** Root of the GBFS feeds as the public reaches them, e.g. https://daten.example.org/gbfs. */
  opendataPublicUrl: string | undefined;
  /** The API serves /gbfs as well (default: in the embedded default, without DATABASE_URL). */
  opendataInApi: boolean;
  gbfsContactEmail: string;
  /** Absent: no online payment; priced bookings are confirmed as "pay on site". */
  stripe: StripeConfig | undefined;
  paymentsPort: number;
  webDistDir: string;
  mapTileUrl: string | undefined;
  mapAttribution: string;
}

export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  publishableKey: string;
  apiHost: string | undefined;
  apiPort: number | undefined;
  apiProtocol: 'http' | 'https' | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws one ConfigError that lists every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (emptyAsUnset(env.NODE_ENV) === 'production' && !emptyAsUnset(env.JWT_SECRET)) {
    problems.push('JWT_SECRET: required when NODE_ENV=production (at least 32 characters)');
  }
  // Half a Stripe setup would take money without ever hearing that it arrived (no webhook
  // secret) or without a way for the browser to pay (no publishable key).
  const stripeKeys = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PUBLISHABLE_KEY'] as const;
  const stripeSet = stripeKeys.filter((k) => emptyAsUnset(env[k]) !== undefined);
  if (stripeSet.length > 0 && stripeSet.length < stripeKeys.length) {
    for (const k of stripeKeys.filter((key) => !stripeSet.includes(key))) {
      problems.push(`${k}: required with ${stripeSet.join(' and ')} (set all three Stripe keys or none)`);
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'true',
    rateLimit: {
      accountPerMinute: e.RATE_LIMIT_ACCOUNT_MUTATIONS_PER_MINUTE,
      ipPerMinute: e.RATE_LIMIT_IP_MUTATIONS_PER_MINUTE,
      trustProxy: e.RATE_LIMIT_TRUST_PROXY === 'true',
    },
    dataDir: e.DATA_DIR,
    jwtSecret: e.JWT_SECRET,
    accessTokenTtlMinutes: e.ACCESS_TOKEN_TTL_MINUTES,
    logLevel: e.LOG_LEVEL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    graphqlMaxDepth: e.GRAPHQL_MAX_DEPTH,
    graphqlMaxCost: e.GRAPHQL_MAX_COST,
    availabilityCacheMs: e.AVAILABILITY_CACHE_MS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : !e.DATABASE_URL,
    lockCommandTimeoutMs: e.LOCK_COMMAND_TIMEOUT_MS,
    mqttUrl: e.MQTT_URL,
    mqttEmbeddedPort: e.MQTT_EMBEDDED_PORT,
    opendataPort: e.OPENDATA_PORT,
    opendataPublicUrl: e.OPENDATA_PUBLIC_URL,
    opendataInApi: e.OPENDATA_IN_API ? e.OPENDATA_IN_API === 'true' : !e.DATABASE_URL,
    gbfsContactEmail: e.GBFS_CONTACT_EMAIL,
    stripe:
      e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET && e.STRIPE_PUBLISHABLE_KEY
        ? {
            secretKey: e.STRIPE_SECRET_KEY,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET,
            publishableKey: e.STRIPE_PUBLISHABLE_KEY,
            apiHost: e.STRIPE_API_HOST,
            apiPort: e.STRIPE_API_PORT,
            apiProtocol: e.STRIPE_API_PROTOCOL,
          }
        : undefined,
    paymentsPort: e.PAYMENTS_PORT,
    webDistDir: e.WEB_DIST_DIR,
    mapTileUrl: e.MAP_TILE_URL,
    mapAttribution: e.MAP_ATTRIBUTION,
  };
}

/**
 * For process entry points: a user's configuration mistake is reported plainly
 * (no stack trace) and the process exits with code 1.
 */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
