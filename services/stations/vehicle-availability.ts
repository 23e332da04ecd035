import type { BusyPeriod, Vehicle } from './vehicle.ts';

/**
 * A window starting this soon counts as "now": the vehicle must already stand at its station.
 * Later windows assume that a vehicle out on a trip is back by the end of its reservation.
 */
export const NOW_WINDOW_MINUTES = 15;

export function startsNow(from: Date, now: Date): boolean {
  return from.getTime() <= now.getTime() + NOW_WINDOW_MINUTES * 60_000;
}

/** Free for the whole of [from, to): in service, no live reservation overlapping, and there now if needed. */
export function isVehicleFree(
  vehicle: Vehicle,
  busy: readonly BusyPeriod[],
  from: Date,
  to: Date,
  now: Date,
): boolean {
  if (vehicle.status === 'maintenance' || vehicle.status === 'retired') return false;
  if (startsNow(from, now) && (vehicle.status !== 'available' || vehicle.stationId === null)) return false;
  return !busy.some((b) => b.vehicleId === vehicle.id && b.from < to && b.to > from);
}

/**
 * The free slots of one vehicle from `from` on, between its busy periods (sorted by start).
 * The last slot is open-ended: after its last reservation the vehicle is free indefinitely.
 */
export function freeSlots(busy: readonly BusyPeriod[], from: Date): { from: Date; until: Date | null }[] {
  const slots: { from: Date; until: Date | null }[] = [];
  let cursor = from;
  for (const period of [...busy].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    if (period.from > cursor) slots.push({ from: cursor, until: period.from });
    if (period.to > cursor) cursor = period.to;
  }
  slots.push({ from: cursor, until: null });
  return slots;
}
