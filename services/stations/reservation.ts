export const RESERVATION_STATUSES = ['confirmed', 'active', 'completed', 'cancelled', 'no_show'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Statuses that hold the vehicle; the exclusion constraint forbids overlaps among them. */
export const LIVE_RESERVATION_STATUSES: readonly ReservationStatus[] = ['confirmed', 'active'];

/** A vehicle held for a period: confirmed → active (trip started) → completed, or cancelled / no_show. */
export interface VehicleReservation {
  id: string;
  tenantId: string;
  vehicleId: string;
  /** Where the vehicle is to be picked up. */
  stationId: string;
  accountId: string;
  from: Date;
  to: Date;
  status: ReservationStatus;
  createdAt: Date;
}

export interface ReserveVehicleInput {
  vehicleId: string;
  from: Date;
  to: Date;
  idempotencyKey: string;
}
