import { stringify } from 'yaml';
import { type ZodType, z } from 'zod';
import {
  ackPayloadSchema,
  commandPayloadSchema,
  eventPayloadSchema,
  MAX_PAYLOAD_BYTES,
  statusPayloadSchema,
  telemetryPayloadSchema,
} from './payloads.ts';
import { MAX_CLOCK_SKEW_MS, SIGNATURE_VERSION } from './signing.ts';

/**
 * schema/asyncapi.yaml is generated from this module, so the payload schemas in the document
 * are always the zod schemas the code validates with. After a change run
 * `node --import tsx firmware-bridge/contract/asyncapi-cli.ts`; asyncapi.test.ts fails on drift.
 */

export const ASYNCAPI_PATH = 'schema/asyncapi.yaml';

/** The zod schema behind each message of the document. */
export const messageSchemas = {
  command: commandPayloadSchema,
  ack: ackPayloadSchema,
  event: eventPayloadSchema,
  telemetry: telemetryPayloadSchema,
  status: statusPayloadSchema,
  bridgeStatus: statusPayloadSchema,
} satisfies Record<string, ZodType>;

/** JSON Schema draft-07 (AsyncAPI's default schema format) without the `$schema` marker. */
export function payloadJsonSchema(schema: ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
  return rest;
}

const description = `MQTT contract between the firmware bridge and the devices (bike box locks,
occupancy sensors) of the Südwestfalen mobility platform. Operations are described from the
bridge's side: it sends commands and receives acks, events, telemetry and status.

Topics: swf/{tenant}/{deviceId}/{cmd|ack|event|telemetry|status}. Tenant and device ids never
hold "/", "+" or "#". A device authenticates with username = client id = its device id and may
only publish its own ack/event/telemetry/status and read its own cmd (Mosquitto ACL). Payloads
larger than ${MAX_PAYLOAD_BYTES} bytes, malformed JSON, schema mismatches and messages of unknown
devices are stored as dead letters and otherwise ignored.

Command signature (${SIGNATURE_VERSION}): sig is the lowercase hex HMAC-SHA256, keyed with the
UTF-8 bytes of the device's secret, over these lines joined with "\\n" (LF, no trailing newline):
"${SIGNATURE_VERSION}", tenant, deviceId (both from the topic), cmdId, action, issuedAt, expiresAt
(exactly the strings of the payload), and params as canonical JSON (object keys sorted by code
unit at every depth, no whitespace). Reference: firmware-bridge/contract/signing.ts.

A device must: verify sig in constant time; refuse (ack result "rejected" with a reason) a bad
signature, a command at or after expiresAt, or one issued more than ${MAX_CLOCK_SKEW_MS / 1000} s in its
future; remember every cmdId until its expiresAt and answer a repeated cmdId with the first
result without executing it again. The bridge retries unacknowledged commands with exponential
backoff until expiresAt, so repeats are normal.

Delivery: commands and acks use QoS 1 (at least once); commands are not retained. On MQTT 5
the bridge sets the message expiry interval of a command to its remaining lifetime. status is
retained, plain text online|offline, and "offline" is each client's Last Will.`;

const mqttOperation = (qos: 0 | 1, retain: boolean) => ({ mqtt: { qos, retain, bindingVersion: '0.2.0' } });

function message(name: keyof typeof messageSchemas, title: string, contentType = 'application/json') {
  return { name, title, contentType, payload: payloadJsonSchema(messageSchemas[name]) };
}

function deviceChannel(kind: string, messageName: string, text: string) {
  return {
    address: `swf/{tenant}/{deviceId}/${kind}`,
    description: text,
    parameters: {
      tenant: { $ref: '#/components/parameters/tenant' },
      deviceId: { $ref: '#/components/parameters/deviceId' },
    },
    messages: { [messageName]: { $ref: `#/components/messages/${messageName}` } },
  };
}

function operation(
  action: 'send' | 'receive',
  channel: string,
  messageName: string,
  qos: 0 | 1,
  retain: boolean,
) {
  return {
    action,
    channel: { $ref: `#/channels/${channel}` },
    messages: [{ $ref: `#/channels/${channel}/messages/${messageName}` }],
    bindings: mqttOperation(qos, retain),
  };
}

export function buildAsyncApiDocument() {
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Mobilität Südwestfalen device contract',
      version: '1.0.0',
      description,
      license: { name: 'EUPL-1.2', url: 'https://interoperable-europe.ec.europa.eu/collection/eupl' },
    },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: 'mosquitto:1883',
        protocol: 'mqtt',
        protocolVersion: '5',
        description: 'Mosquitto 2 with password file and ACL (firmware-bridge/mosquitto)',
        security: [{ $ref: '#/components/securitySchemes/userPassword' }],
        bindings: {
          mqtt: {
            clientId: 'bridge-{instanceId}',
            cleanSession: false,
            keepAlive: 30,
            lastWill: { topic: 'swf/bridge/{instanceId}/status', qos: 1, message: 'offline', retain: true },
            bindingVersion: '0.2.0',
          },
        },
      },
      embedded: {
        host: '127.0.0.1:1884',
        protocol: 'mqtt',
        protocolVersion: '3.1.1',
        description: 'aedes inside the npm start process (firmware-bridge/embedded-broker.ts)',
      },
    },
    channels: {
      cmd: deviceChannel('cmd', 'command', 'Commands for one device. QoS 1, not retained.'),
      ack: deviceChannel('ack', 'ack', 'Answers to commands, matched by cmdId. QoS 1.'),
      event: deviceChannel('event', 'event', 'Door, tamper, button and jam events. QoS 1.'),
      telemetry: deviceChannel('telemetry', 'telemetry', 'Occupancy, battery and position. QoS 0 or 1.'),
      status: deviceChannel(
        'status',
        'status',
        'Retained online|offline; the device publishes online on connect and sets offline as its Last Will.',
      ),
      bridgeStatus: {
        address: 'swf/bridge/{instanceId}/status',
        description: 'Retained online|offline of each bridge instance; offline is its Last Will.',
        parameters: { instanceId: { description: 'BRIDGE_INSTANCE_ID of the bridge process' } },
        messages: { bridgeStatus: { $ref: '#/components/messages/bridgeStatus' } },
      },
    },
    operations: {
      sendCommand: operation('send', 'cmd', 'command', 1, false),
      receiveAck: operation('receive', 'ack', 'ack', 1, false),
      receiveEvent: operation('receive', 'event', 'event', 1, false),
      receiveTelemetry: operation('receive', 'telemetry', 'telemetry', 1, false),
      receiveStatus: operation('receive', 'status', 'status', 1, true),
      sendBridgeStatus: operation('send', 'bridgeStatus', 'bridgeStatus', 1, true),
    },
    components: {
      parameters: {
        tenant: {
          description: 'Tenant id (town), e.g. soest; pattern ^[a-z][a-z0-9-]{1,40}$, never "bridge"',
        },
        deviceId: { description: 'Device id, pattern ^[A-Za-z0-9_.:-]{1,64}$' },
      },
      securitySchemes: {
        userPassword: {
          type: 'userPassword',
          description: 'Devices: username = client id = device id. The bridge: user bridge.',
        },
      },
      messages: {
        command: message('command', 'Signed command'),
        ack: message('ack', 'Command acknowledgement'),
        event: message('event', 'Device event'),
        telemetry: message('telemetry', 'Telemetry'),
        status: message('status', 'Device availability', 'text/plain'),
        bridgeStatus: message('bridgeStatus', 'Bridge availability', 'text/plain'),
      },
    },
  };
}

export function renderAsyncApiYaml(): string {
  const header = [
    '# Generated from firmware-bridge/contract/asyncapi.ts and payloads.ts; do not edit by hand.',
    '# Regenerate: node --import tsx firmware-bridge/contract/asyncapi-cli.ts',
    '',
  ].join('\n');
  return header + stringify(buildAsyncApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false });
}
