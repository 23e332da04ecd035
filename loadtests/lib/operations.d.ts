// Types of operations.js for the TypeScript bench (the k6 side needs none).
export declare const TRIVIAL: string;
export declare const AVAILABILITY: string;
export declare const CREATE_BOOKING: string;
export declare const CONFIRM_BOOKING: string;
export declare const CANCEL_BOOKING: string;
export declare const UNLOCK: string;
export declare const REGISTER: string;
export declare const LOGIN: string;
export declare const MY_BOOKINGS: string;
export declare const SITES: string;
export declare const BOOKING_OVERLAPS: string;
export declare const HOUR_MS: number;
export declare function poolSlot(
  n: number,
  spaceCount: number,
  base: number,
): { spaceIndex: number; from: string; to: string };
export declare function dayAt(days: number, hourUtc: number, now: number): number;
