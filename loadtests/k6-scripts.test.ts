import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * k6 does not run here, so the scripts are checked as k6 would load them: ES modules that
 * parse, import only k6's own modules and relative files, and use no Node API (k6 has none).
 * Then booking-core.js is evaluated against stand-ins of the k6 modules to check what k6
 * reads from it: the scenarios, their executors and functions, and thresholds per scenario.
 */
const root = import.meta.dirname;
const K6_MODULES = new Set([
  'k6',
  'k6/http',
  'k6/metrics',
  'k6/execution',
  'k6/crypto',
  'k6/encoding',
  'k6/data',
  'k6/timers',
]);
const NODE_GLOBALS = new Set([
  'process',
  'require',
  'module',
  'exports',
  'Buffer',
  '__dirname',
  '__filename',
  'global',
]);

function k6Scripts(dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['bench', 'results', 'node_modules'].includes(entry.name)) out.push(...k6Scripts(path));
    } else if (entry.name.endsWith('.js')) out.push(path);
  }
  return out.sort();
}

interface Findings {
  syntaxErrors: string[];
  isModule: boolean;
  imports: string[];
  problems: string[];
}

function inspect(file: string): Findings {
  const text = readFileSync(file, 'utf8');
  const transpiled = ts.transpileModule(text, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, allowJs: true },
  });
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const imports: string[] = [];
  const problems: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      imports.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      problems.push('dynamic import()');
    }
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isMemberName = ts.isPropertyAccessExpression(parent) && parent.name === node;
      const isKey =
        (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === node;
      if (!isMemberName && !isKey)
        problems.push(
          `Node global "${node.text}" at line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`,
        );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return {
    syntaxErrors: (transpiled.diagnostics ?? []).map((d) =>
      ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    ),
    isModule: imports.length > 0 || /^\s*export\s/m.test(text),
    imports,
    problems,
  };
}

describe('k6 scripts are plain ES modules k6 can load', () => {
  const scripts = k6Scripts();

  it('finds the scripts', () => {
    expect(scripts.map((s) => relative(root, s))).toEqual(
      expect.arrayContaining(['booking-core.js', join('lib', 'k6-graphql.js'), join('lib', 'operations.js')]),
    );
  });

  for (const file of scripts) {
    it(`${relative(root, file)}: parses, imports only k6 modules and relative files, no Node API`, () => {
      const found = inspect(file);
      expect(found.syntaxErrors).toEqual([]);
      expect(found.isModule).toBe(true);
      expect(found.problems).toEqual([]);
      for (const specifier of found.imports) {
        if (specifier.startsWith('./') || specifier.startsWith('../')) {
          const target = resolve(dirname(file), specifier);
          expect(specifier.endsWith('.js'), `${specifier}: k6 needs the extension`).toBe(true);
          expect(existsSync(target), `${specifier} exists`).toBe(true);
          expect(relative(root, target).startsWith('..'), `${specifier} stays inside loadtests/`).toBe(false);
        } else {
          expect(K6_MODULES.has(specifier), `${specifier} is a k6 module`).toBe(true);
        }
      }
    });
  }

  it('the checker catches what k6 would refuse', () => {
    const bad = join(root, 'bench', 'fixtures', 'not-k6.js');
    const found = inspect(bad);
    expect(found.problems).toEqual(
      expect.arrayContaining(['dynamic import()', expect.stringMatching(/process/)]),
    );
    expect(found.imports).toContain('node:fs');
    expect(K6_MODULES.has('node:fs')).toBe(false);
  });
});

/** booking-core.js bundled with stand-ins for the k6 modules, evaluated with the given __ENV. */
async function loadBookingCore(env: Record<string, string>) {
  const result = await build({
    entryPoints: [join(root, 'booking-core.js')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
    plugins: [
      {
        name: 'k6-stand-ins',
        setup(b) {
          b.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'k6' }));
          b.onLoad({ filter: /.*/, namespace: 'k6' }, () => ({
            contents: `
              export const check = () => true; export const fail = (m) => { throw new Error(m); };
              export class Counter { add() {} } export class Gauge { add() {} } export class Trend { add() {} }
              export default { post: () => ({ status: 200, json: () => ({}) }), scenario: { iterationInTest: 0 } };`,
            loader: 'js',
          }));
        },
      },
    ],
  });
  (globalThis as Record<string, unknown>).__ENV = env;
  const code = result.outputFiles[0]!.text;
  return import(
    `data:text/javascript;base64,${Buffer.from(`${code}\n// ${Math.random()}`).toString('base64')}`
  );
}

describe('booking-core.js as k6 reads it', () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).__ENV;
  });

  it('has the four scenarios, one after the other, each running an exported function', async () => {
    const script = await loadBookingCore({});
    const scenarios = script.options.scenarios as Record<
      string,
      { executor: string; exec: string; startTime: string }
    >;
    expect(Object.keys(scenarios)).toEqual(['availability', 'rush', 'journey', 'mixed']);
    expect(scenarios.availability!.executor).toBe('constant-arrival-rate');
    expect(scenarios.rush!.executor).toBe('ramping-arrival-rate');
    const starts = Object.values(scenarios).map((s) => Number.parseInt(s.startTime, 10));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(starts).size).toBe(4);
    for (const s of Object.values(scenarios)) expect(typeof script[s.exec]).toBe('function');
    for (const name of ['setup', 'teardown', 'handleSummary']) expect(typeof script[name]).toBe('function');
  });

  it('sets thresholds per scenario on its own error rate and latency, and on the overlap check', async () => {
    const script = await loadBookingCore({});
    const thresholds = script.options.thresholds as Record<string, string[]>;
    for (const name of ['availability', 'rush', 'journey', 'mixed']) {
      expect(thresholds[`http_req_failed{scenario:${name}}`]).toEqual(['rate<0.01']);
      expect(thresholds[`http_req_duration{scenario:${name}}`]?.some((t) => t.startsWith('p(95)<'))).toBe(
        true,
      );
    }
    expect(thresholds['server_errors{scenario:rush}']).toEqual(['count==0']);
    expect(thresholds.overlapping_booking_pairs).toEqual(['value==0']);
  });

  it('takes its size from the environment and runs only the scenarios asked for', async () => {
    const script = await loadBookingCore({
      SCENARIOS: 'rush',
      RUSH_PEAK_RATE: '250',
      RUSH_RAMP: '1m',
      RUSH_HOLD: '20s',
    });
    expect(Object.keys(script.options.scenarios)).toEqual(['rush']);
    expect(script.options.scenarios.rush.stages[0]).toEqual({ target: 250, duration: '1m' });
    expect(Object.keys(script.options.thresholds).filter((k) => k.includes('scenario:'))).toEqual(
      expect.arrayContaining(['http_req_failed{scenario:rush}']),
    );
    expect(Object.keys(script.options.thresholds).some((k) => k.includes('scenario:mixed'))).toBe(false);
    await expect(loadBookingCore({ SCENARIOS: 'stampede' })).rejects.toThrow(/Unknown scenario stampede/);
    await expect(loadBookingCore({ RUSH_PEAK_RATE: 'many' })).rejects.toThrow(/whole number/);
  });

  it('writes the summary as JSON where SUMMARY_FILE says, and a verdict per threshold', async () => {
    const script = await loadBookingCore({ SUMMARY_FILE: 'out/summary.json', SCENARIOS: 'rush' });
    const data = {
      metrics: {
        'http_req_failed{scenario:rush}': { values: { rate: 0 }, thresholds: { 'rate<0.01': { ok: true } } },
        overlapping_booking_pairs: { values: { value: 1 }, thresholds: { 'value==0': { ok: false } } },
        rush_bookings_won: { values: { count: 50 } },
      },
    };
    const out = script.handleSummary(data);
    expect(JSON.parse(out['out/summary.json'])).toEqual(data);
    expect(out.stdout).toMatch(/ok {3}http_req_failed\{scenario:rush\} rate<0\.01/);
    expect(out.stdout).toMatch(/FAIL overlapping_booking_pairs value==0/);
    expect(out.stdout).toMatch(/rush: 50 won/);
  });
});
