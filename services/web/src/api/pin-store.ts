/**
 * The keypad PIN arrives once, in the createBooking answer (the server keeps only a hash).
 * It stays in this page's memory until a reload, never in storage: a shared or stolen
 * phone's storage must not give the box away.
 */
const pins = new Map<string, string>();

export function rememberPin(bookingId: string, pin: string): void {
  pins.set(bookingId, pin);
}

export function pinFor(bookingId: string): string | undefined {
  return pins.get(bookingId);
}
