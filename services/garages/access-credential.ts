import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Booking } from './booking.ts';

export const PIN_LENGTH = 6;
const qrAudience = 'swf-lock';

export interface QrClaims {
  bookingId: string;
  spaceId: string;
}

/**
 * Access credentials of a booking: a PIN for the keypad and a signed QR token for the
 * scanner. The PIN is stored as an HMAC keyed with a server secret: a six-digit PIN has too
 * few values for a slow hash to help, but without the key a leaked table reveals nothing.
 * The QR token needs no storage at all: its signature and validity window are the proof.
 */
export class AccessCredentials {
  private readonly key: Uint8Array;

  constructor(private readonly secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  generatePin(): string {
    return String(randomInt(0, 10 ** PIN_LENGTH)).padStart(PIN_LENGTH, '0');
  }

  hashPin(bookingId: string, pin: string): string {
    return createHmac('sha256', this.secret).update(`${bookingId}:${pin}`).digest('base64url');
  }

  pinMatches(bookingId: string, pin: string, storedHash: string): boolean {
    const actual = Buffer.from(this.hashPin(bookingId, pin));
    const expected = Buffer.from(storedHash);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Valid from the start minus the grace until the end plus the grace, and only for this space. */
  async issueQrToken(booking: Booking, graceMinutes: number): Promise<string> {
    const graceSeconds = graceMinutes * 60;
    return new SignJWT({ sp: booking.spaceId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(booking.id)
      .setAudience(qrAudience)
      .setNotBefore(Math.floor(booking.from.getTime() / 1000) - graceSeconds)
      .setExpirationTime(Math.ceil(booking.to.getTime() / 1000) + graceSeconds)
      .sign(this.key);
  }

  /** The claims when the signature holds and `at` lies in the token's window; otherwise null. */
  async verifyQrToken(token: string, at: Date): Promise<QrClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        audience: qrAudience,
        algorithms: ['HS256'],
        currentDate: at,
      });
      if (!payload.sub || typeof payload.sp !== 'string') return null;
      return { bookingId: payload.sub, spaceId: payload.sp };
    } catch {
      return null;
    }
  }
}
