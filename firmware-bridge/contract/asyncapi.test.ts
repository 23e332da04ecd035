import { readFileSync } from 'node:fs';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { ASYNCAPI_PATH, messageSchemas, payloadJsonSchema, renderAsyncApiYaml } from './asyncapi.ts';

const committed = readFileSync(ASYNCAPI_PATH, 'utf8');

/** The parser annotates schemas (x-parser-schema-id, ...); compare without its additions. */
function withoutParserKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutParserKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !key.startsWith('x-parser-'))
        .map(([key, v]) => [key, withoutParserKeys(v)]),
    );
  }
  return value;
}

describe('schema/asyncapi.yaml', () => {
  it('is what the zod contract generates (run contract/asyncapi-cli.ts after a change)', () => {
    expect(committed).toBe(renderAsyncApiYaml());
  });

  it('is a valid AsyncAPI document whose payloads equal the zod schemas', async () => {
    const { document, diagnostics } = await new Parser().parse(committed);
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document).toBeDefined();

    const seen = new Set<string>();
    for (const message of document!.allMessages()) {
      const name = message.name() ?? message.id();
      const schema = messageSchemas[name as keyof typeof messageSchemas];
      expect(schema, `message ${name} has a zod schema`).toBeDefined();
      expect(withoutParserKeys(message.payload()?.json())).toEqual(payloadJsonSchema(schema));
      seen.add(name);
    }
    expect([...seen].sort()).toEqual(Object.keys(messageSchemas).sort());
  });

  it('names every device channel with QoS and retain bindings', async () => {
    const { document } = await new Parser().parse(committed);
    const addresses = document!
      .allChannels()
      .all()
      .map((c) => c.address());
    expect(addresses).toEqual(
      expect.arrayContaining(
        ['cmd', 'ack', 'event', 'telemetry', 'status'].map((k) => `swf/{tenant}/{deviceId}/${k}`),
      ),
    );
    for (const op of document!.allOperations()) {
      const mqtt = op.bindings().get('mqtt')?.value() as { qos?: number } | undefined;
      expect(mqtt?.qos, op.id()).toBe(1);
    }
  });
});
