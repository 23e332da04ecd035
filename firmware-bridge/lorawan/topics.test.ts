import { describe, expect, it } from 'vitest';
import { chirpstackCommandDownTopic, parseLorawanTopic, ttsDownPushTopic } from './topics.ts';

const app = '17c82e96-be03-4f38-aef3-f83d48582d97';

describe('parseLorawanTopic', () => {
  it('recognises a TTS uplink topic with tenant', () => {
    expect(parseLorawanTopic('v3/app1@tenant1/devices/dev1/up')).toEqual({
      network: 'tts',
      kind: 'uplink',
      applicationId: 'app1',
      tenantId: 'tenant1',
      deviceId: 'dev1',
    });
  });

  it('recognises a TTS Open Source uplink topic (no tenant)', () => {
    expect(parseLorawanTopic('v3/swf-parking/devices/bosch-pls-0001/up')).toEqual({
      network: 'tts',
      kind: 'uplink',
      applicationId: 'swf-parking',
      deviceId: 'bosch-pls-0001',
    });
  });

  it.each(['ack', 'nack', 'sent', 'failed'] as const)('recognises TTS down/%s', (event) => {
    expect(parseLorawanTopic(`v3/app1@ttn/devices/dev1/down/${event}`)).toEqual({
      network: 'tts',
      kind: 'downlink-event',
      event,
      applicationId: 'app1',
      tenantId: 'ttn',
      deviceId: 'dev1',
    });
  });

  it('recognises a ChirpStack uplink topic and lowercases the DevEUI', () => {
    expect(parseLorawanTopic(`application/${app}/device/0101010101ABCDEF/event/up`)).toEqual({
      network: 'chirpstack',
      kind: 'uplink',
      applicationId: app,
      devEui: '0101010101abcdef',
    });
  });

  it.each(['ack', 'txack'] as const)('recognises ChirpStack event/%s', (event) => {
    expect(parseLorawanTopic(`application/${app}/device/0101010101010101/event/${event}`)).toEqual({
      network: 'chirpstack',
      kind: 'downlink-event',
      event,
      applicationId: app,
      devEui: '0101010101010101',
    });
  });

  it.each([
    '',
    'v3',
    'v3/app1@tenant1/devices/dev1',
    'v3/app1@tenant1/devices/dev1/join',
    'v3/app1@tenant1/devices/dev1/down/queued',
    'v3/app1@tenant1/devices/dev1/down/push',
    'v3/app1@tenant1/devices/dev1/up/extra',
    'v3/app1@tenant1/device/dev1/up',
    'v3/+/devices/+/up',
    'v3/app1@tenant1/devices/#',
    'v3/App1@tenant1/devices/dev1/up',
    'v3/app1@/devices/dev1/up',
    'v3/@tenant1/devices/dev1/up',
    'v3/a@tenant1/devices/dev1/up',
    'v3/app1@tenant1/devices/dev_1/up',
    `v3/app1@tenant1/devices/${'d'.repeat(37)}/up`,
    'v2/app1/devices/dev1/up',
    'swf/tenant/lock-1/ack',
    `application/${app}/device/0101010101010101/event/join`,
    `application/${app}/device/0101010101010101/event/status`,
    `application/${app}/device/0101010101010101/command/down`,
    `application/${app}/device/0101010101010101/event/up/more`,
    `application/${app}/device/01010101010101/event/up`,
    `application/${app}/device/010101010101010g/event/up`,
    'application/not-a-uuid/device/0101010101010101/event/up',
    'application/+/device/+/event/up',
    `application/${app}/devices/0101010101010101/event/up`,
  ])('rejects %j', (topic) => {
    expect(parseLorawanTopic(topic)).toBeUndefined();
  });
});

describe('downlink topics', () => {
  it('builds the TTS push topic with and without tenant', () => {
    expect(ttsDownPushTopic({ applicationId: 'app1', tenantId: 'tenant1', deviceId: 'dev1' })).toBe(
      'v3/app1@tenant1/devices/dev1/down/push',
    );
    expect(ttsDownPushTopic({ applicationId: 'app1', deviceId: 'dev1' })).toBe(
      'v3/app1/devices/dev1/down/push',
    );
  });

  it('builds the ChirpStack command topic', () => {
    expect(chirpstackCommandDownTopic({ applicationId: app, devEui: '0102030405060708' })).toBe(
      `application/${app}/device/0102030405060708/command/down`,
    );
  });
});
