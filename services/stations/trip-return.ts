import { distanceKm } from '../garages/geo.ts';
import type { GeoPoint } from '../garages/site.ts';
import { VehicleNotAtStationError, VehicleNotLockedError } from './station-errors.ts';
import type { DistanceSource } from './trip.ts';
import type { LockReading, PositionFix } from './vehicle-telemetry.repository.ts';

/**
 * How far the vehicle's last position fix may lie from the station for a return. Stations are
 * small; consumer GPS in a town is good to 10–30 m, so 100 m keeps honest riders out of trouble
 * and the next street's pavement out of the station.
 */
export const RETURN_RADIUS_METERS = 100;

/**
 * The lock counts as closed when the device told us so after the trip began: its newest door
 * event is door_closed and the door is not open now, or, for a lock without a door contact,
 * it reported the state `locked`. A jammed lock never counts.
 */
export function checkLockClosed(reading: LockReading | undefined): void {
  if (!reading || reading.lockState === 'jammed') throw new VehicleNotLockedError();
  const closedByDoor = reading.lastDoorEvent?.type === 'door_closed' && reading.doorOpen === false;
  const closedByState = reading.lastDoorEvent === null && reading.lockState === 'locked';
  if (!closedByDoor && !closedByState) throw new VehicleNotLockedError();
}

/**
 * The last position fix of the trip must lie at the station. A vehicle that reported no
 * position during the trip (no GPS fix indoors, or a tracker without GPS) is returned on the
 * lock's word alone; the trip records that the position was not confirmed.
 */
export function checkPosition(track: readonly PositionFix[], station: GeoPoint): { confirmed: boolean } {
  const last = track.at(-1);
  if (!last) return { confirmed: false };
  const meters = Math.round(distanceKm(last, station) * 1000);
  if (meters > RETURN_RADIUS_METERS) throw new VehicleNotAtStationError(meters);
  return { confirmed: true };
}

/** Along the fixes from start to end station, or the straight line between them without fixes. */
export function tripDistance(
  start: GeoPoint,
  track: readonly PositionFix[],
  end: GeoPoint,
): { meters: number; source: DistanceSource } {
  const points: GeoPoint[] = [start, ...track, end];
  let km = 0;
  for (let i = 1; i < points.length; i++) km += distanceKm(points[i - 1]!, points[i]!);
  return { meters: Math.round(km * 1000), source: track.length > 0 ? 'track' : 'stations' };
}
