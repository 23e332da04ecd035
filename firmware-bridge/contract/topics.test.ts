import { describe, expect, it } from 'vitest';
import { bridgeStatusTopic, deviceTopic, inboundFilters, parseTopic } from './topics.ts';

describe('device topics', () => {
  it('builds and parses swf/{tenant}/{deviceId}/{kind}', () => {
    const topic = deviceTopic('soest', 'lock-01:a.b_c', 'cmd');
    expect(topic).toBe('swf/soest/lock-01:a.b_c/cmd');
    expect(parseTopic(topic)).toEqual({
      type: 'device',
      topic: { tenantId: 'soest', deviceId: 'lock-01:a.b_c', kind: 'cmd' },
    });
  });

  it.each(['a/b', 'a+', '#', 'a#b', '', 'x'.repeat(65)])('refuses device id %j', (id) => {
    expect(() => deviceTopic('soest', id, 'cmd')).toThrow(/invalid device id/);
  });

  it.each(['So', 'a/b', '+', 'bridge'])('refuses tenant id %j', (id) => {
    expect(() => deviceTopic(id, 'lock-1', 'ack')).toThrow(/invalid tenant id/);
  });

  it.each([
    'swf/soest/lock-1',
    'swf/soest/lock-1/ack/extra',
    'other/soest/lock-1/ack',
    'swf/soest/lock-1/unknown',
    'swf/SOEST/lock-1/ack',
    'swf/soest/lo+ck/ack',
    'swf/soest//ack',
  ])('classifies %j as invalid', (topic) => {
    expect(parseTopic(topic)).toEqual({ type: 'invalid' });
  });

  it('recognises bridge status topics, which the device wildcard also matches', () => {
    expect(parseTopic(bridgeStatusTopic('host-12'))).toEqual({ type: 'bridge' });
  });

  it('subscribes through a share group when there is one', () => {
    expect(inboundFilters('bridge')).toEqual([
      '$share/bridge/swf/+/+/ack',
      '$share/bridge/swf/+/+/event',
      '$share/bridge/swf/+/+/telemetry',
      '$share/bridge/swf/+/+/status',
    ]);
    expect(inboundFilters(undefined)[0]).toBe('swf/+/+/ack');
  });
});
