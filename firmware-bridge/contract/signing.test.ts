import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalCommand, canonicalJson, checkFreshness, signCommand, verifyCommand } from './signing.ts';

const target = { tenantId: 'soest', deviceId: 'lock-1' };
const fields = {
  cmdId: '2f1c8a4e-5b7d-4c3e-9a1b-0d2e3f4a5b6c',
  action: 'unlock' as const,
  params: { b: [1, { z: true, a: null }], a: 'ä\n' },
  issuedAt: '2026-11-22T10:00:00.000Z',
  expiresAt: '2026-11-22T10:01:00.000Z',
};

describe('command signing', () => {
  it('signs a documented canonical form', () => {
    const canonical = canonicalCommand(target, fields);
    expect(canonical).toBe(
      [
        'swf-cmd-v1',
        'soest',
        'lock-1',
        fields.cmdId,
        'unlock',
        fields.issuedAt,
        fields.expiresAt,
        '{"a":"ä\\n","b":[1,{"a":null,"z":true}]}',
      ].join('\n'),
    );
    // A firmware author can reproduce it with any HMAC implementation.
    const expected = createHmac('sha256', Buffer.from('s3cret', 'utf8')).update(canonical).digest('hex');
    expect(signCommand('s3cret', target, fields)).toBe(expected);
  });

  it('sorts keys at every depth regardless of insertion order', () => {
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: [] })).toBe(canonicalJson({ a: [], b: { c: 2, d: 1 } }));
  });

  it('verifies its own signature and refuses any change', () => {
    const sig = signCommand('s3cret', target, fields);
    expect(verifyCommand('s3cret', target, { ...fields, sig })).toBe(true);
    expect(verifyCommand('other', target, { ...fields, sig })).toBe(false);
    expect(verifyCommand('s3cret', { ...target, deviceId: 'lock-2' }, { ...fields, sig })).toBe(false);
    expect(verifyCommand('s3cret', target, { ...fields, action: 'lock', sig })).toBe(false);
    expect(verifyCommand('s3cret', target, { ...fields, expiresAt: '2026-11-22T11:01:00.000Z', sig })).toBe(
      false,
    );
    expect(verifyCommand('s3cret', target, { ...fields, params: { a: 'x' }, sig })).toBe(false);
    expect(verifyCommand('s3cret', target, { ...fields, sig: sig.slice(0, 10) })).toBe(false);
  });
});

describe('freshness', () => {
  const at = (iso: string) => new Date(iso);
  it('accepts a command inside its lifetime', () => {
    expect(checkFreshness(fields, at('2026-11-22T10:00:30Z'))).toEqual({ ok: true });
  });
  it('refuses it at and after expiry (the boundary belongs to "expired")', () => {
    expect(checkFreshness(fields, at('2026-11-22T10:01:00Z'))).toEqual({ ok: false, reason: 'expired' });
    expect(checkFreshness(fields, at('2026-11-22T10:00:59.999Z'))).toEqual({ ok: true });
  });
  it('tolerates clock skew on issuedAt but not more', () => {
    expect(checkFreshness(fields, at('2026-11-22T09:59:30Z'), 30_000)).toEqual({ ok: true });
    expect(checkFreshness(fields, at('2026-11-22T09:59:29.999Z'), 30_000)).toEqual({
      ok: false,
      reason: 'not_yet_valid',
    });
  });
  it('refuses nonsense times', () => {
    expect(checkFreshness({ issuedAt: 'x', expiresAt: fields.expiresAt }, new Date())).toEqual({
      ok: false,
      reason: 'invalid_time',
    });
  });
});
