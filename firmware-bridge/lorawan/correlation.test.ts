import { describe, expect, it } from 'vitest';
import { correlationOf } from './correlation.ts';
import { encodeChirpstackDownlink, encodeTtsDownlink } from './downlink.ts';
import { fixtureBytes, fixtureJson } from './fixtures.ts';
import { encodeLockCommand } from './lock-command.ts';

const commandId = '6f1d7c2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
const csApp = '17c82e96-be03-4f38-aef3-f83d48582d97';
const ttsTopic = (event: string) => `v3/app1@tenant1/devices/dev1/down/${event}`;
const csTopic = (event: string) => `application/${csApp}/device/0101010101010101/event/${event}`;

describe('correlationOf, The Things Stack', () => {
  it.each([
    ['ack', 'acked'],
    ['nack', 'nacked'],
    ['sent', 'sent'],
    ['failed', 'failed'],
  ] as const)('maps down/%s to %s', (event, outcome) => {
    const result = correlationOf({
      topic: ttsTopic(event),
      payload: fixtureBytes(`tts/down-${event}.swf.json`),
    });
    expect(result).toMatchObject({ ok: true, value: { network: 'tts', commandId, outcome } });
  });

  it('reports the error name of a failed downlink', () => {
    const result = correlationOf({
      topic: ttsTopic('failed'),
      payload: fixtureBytes('tts/down-failed.swf.json'),
    });
    expect(result).toMatchObject({ ok: true, value: { error: 'application_downlink_too_long' } });
  });

  it('finds no command id in the docs examples (their correlation ids are not ours)', () => {
    for (const [event, file] of [
      ['ack', 'tts/down-ack.docs-mqtt.json'],
      ['ack', 'tts/down-ack.docs-data-formats.json'],
      ['failed', 'tts/down-failed.docs-data-formats.json'],
    ] as const) {
      expect(correlationOf({ topic: ttsTopic(event), payload: fixtureBytes(file) })).toMatchObject({
        ok: false,
        error: { reason: 'no_command_id' },
      });
    }
  });

  it('insists on the event the topic names', () => {
    expect(
      correlationOf({ topic: ttsTopic('nack'), payload: fixtureBytes('tts/down-ack.swf.json') }),
    ).toMatchObject({
      ok: false,
      error: { reason: 'missing_field', path: 'downlink_nack' },
    });
  });

  it('rejects an event about another device than the topic names', () => {
    const topic = 'v3/app1@tenant1/devices/dev2/down/ack';
    expect(correlationOf({ topic, payload: fixtureBytes('tts/down-ack.swf.json') })).toMatchObject({
      ok: false,
      error: { reason: 'topic_mismatch' },
    });
  });

  it('round-trips a command id through encodeTtsDownlink and the ack TTS sends back', () => {
    const published = encodeTtsDownlink(
      { applicationId: 'app1', tenantId: 'tenant1', deviceId: 'dev1' },
      { commandId, fPort: 10, payload: encodeLockCommand({ action: 'unlock', sequence: 7 }) },
    );
    const downlink = (JSON.parse(published.payload) as { downlinks: Record<string, unknown>[] })
      .downlinks[0]!;
    // TTS echoes the queued downlink with its own correlation ids added (docs: "Downlink Events Messages").
    const ack = {
      end_device_ids: { device_id: 'dev1', application_ids: { application_id: 'app1' } },
      correlation_ids: [...(downlink.correlation_ids as string[]), 'as:downlink:01E19B99501X84X6CV471TVSZ1'],
      received_at: '2026-05-01T08:00:01.123456789Z',
      downlink_ack: { ...downlink, f_cnt: 3, session_key_id: 'AXBSp8v2brG0jqkri+sIkw==' },
    };
    expect(correlationOf({ topic: ttsTopic('ack'), payload: JSON.stringify(ack) })).toMatchObject({
      ok: true,
      value: { commandId, outcome: 'acked' },
    });
  });
});

describe('correlationOf, ChirpStack', () => {
  it('reads queueItemId from the docs ack example', () => {
    expect(
      correlationOf({ topic: csTopic('ack'), payload: fixtureBytes('chirpstack/ack.docs.json') }),
    ).toEqual({
      ok: true,
      value: {
        network: 'chirpstack',
        commandId: '1bbcab1d-6ec6-4136-b3f5-d63be1dc08de',
        outcome: 'acked',
        topic: {
          network: 'chirpstack',
          kind: 'downlink-event',
          event: 'ack',
          applicationId: csApp,
          devEui: '0101010101010101',
        },
      },
    });
  });

  it('treats an ack without "acknowledged" (false is left out) as nacked', () => {
    expect(
      correlationOf({ topic: csTopic('ack'), payload: fixtureBytes('chirpstack/ack.timeout.json') }),
    ).toMatchObject({
      ok: true,
      value: { outcome: 'nacked' },
    });
  });

  it('maps txack to sent', () => {
    expect(
      correlationOf({ topic: csTopic('txack'), payload: fixtureBytes('chirpstack/txack.docs.json') }),
    ).toMatchObject({
      ok: true,
      value: { commandId: '42cb6459-a640-46ec-9623-bdff39dc4736', outcome: 'sent' },
    });
  });

  it('round-trips a command id through encodeChirpstackDownlink and the ack event', () => {
    const published = encodeChirpstackDownlink(
      { applicationId: csApp, devEui: '0101010101010101' },
      { commandId, fPort: 10, payload: encodeLockCommand({ action: 'lock', sequence: 8 }) },
    );
    const { id } = JSON.parse(published.payload) as { id: string };
    const ack = fixtureJson('chirpstack/ack.docs.json') as Record<string, unknown>;
    // ChirpStack stores our `id` as the queue item id and reports it back as queueItemId.
    const payload = JSON.stringify({ ...ack, queueItemId: id });
    expect(correlationOf({ topic: csTopic('ack'), payload })).toMatchObject({
      ok: true,
      value: { commandId, outcome: 'acked' },
    });
  });

  it.each([
    ['no queueItemId', { acknowledged: true }, 'missing_field'],
    ['a queueItemId that is no UUID', { queueItemId: 'abc', acknowledged: true }, 'no_command_id'],
    ['acknowledged as string', { queueItemId: commandId, acknowledged: 'true' }, 'invalid_field'],
    [
      'another device',
      { queueItemId: commandId, deviceInfo: { devEui: '0202020202020202' } },
      'topic_mismatch',
    ],
  ])('rejects %s', (_, body, reason) => {
    expect(correlationOf({ topic: csTopic('ack'), payload: JSON.stringify(body) })).toMatchObject({
      ok: false,
      error: { reason },
    });
  });
});

describe('correlationOf, anything else', () => {
  it.each([
    'v3/app1@tenant1/devices/dev1/up',
    'v3/app1@tenant1/devices/dev1/down/queued',
    `application/${csApp}/device/0101010101010101/event/up`,
    'swf/t1/lock-1/ack',
  ])('ignores topic %s', (topic) => {
    expect(correlationOf({ topic, payload: '{}' })).toMatchObject({
      ok: false,
      error: { reason: 'not_a_downlink_event_topic' },
    });
  });

  it('reports malformed JSON', () => {
    expect(correlationOf({ topic: csTopic('ack'), payload: '{' })).toMatchObject({
      ok: false,
      error: { reason: 'malformed_json' },
    });
  });
});
