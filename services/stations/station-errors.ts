import { DomainError } from '../core/errors.ts';

/** Another live reservation of the vehicle overlaps the period (the exclusion constraint said no). */
export class VehicleUnavailableError extends DomainError {
  constructor(
    message = 'The vehicle is already reserved for (part of) this period / Das Fahrzeug ist in diesem Zeitraum bereits reserviert',
  ) {
    super(message);
  }
}

/** The station has no free place for one more vehicle. */
export class StationFullError extends DomainError {
  constructor(
    readonly stationId: string,
    message = 'This station is full; return the vehicle at another station / Diese Station ist voll; bitte an einer anderen Station zurückgeben',
  ) {
    super(message);
  }
}

export const RETURN_REFUSALS = [
  'NOT_ACCEPTING_RETURNS',
  'ONE_WAY_NOT_ALLOWED',
  'OTHER_TOWN',
  'RESERVED_ELSEWHERE',
] as const;
export type ReturnRefusal = (typeof RETURN_REFUSALS)[number];

const refusalMessages: Record<ReturnRefusal, string> = {
  NOT_ACCEPTING_RETURNS:
    'This station takes no returns at the moment / Diese Station nimmt zurzeit keine Fahrzeuge zurück',
  ONE_WAY_NOT_ALLOWED:
    'Return the vehicle where you took it; this town has no one-way trips / Bitte am Ausleihort zurückgeben',
  OTHER_TOWN:
    'Vehicles go back to a station of their own town / Fahrzeuge nur an Stationen der eigenen Stadt zurückgeben',
  RESERVED_ELSEWHERE:
    'The vehicle is reserved next at its own station; return it there / Das Fahrzeug ist anschließend an seiner Station reserviert',
};

/** The station may not take this vehicle back; `reason` says why. */
export class ReturnNotAllowedError extends DomainError {
  constructor(readonly reason: ReturnRefusal) {
    super(refusalMessages[reason]);
  }
}

/** The vehicle's lock has not reported closed since the trip started. */
export class VehicleNotLockedError extends DomainError {
  constructor(
    message = 'Close the vehicle’s lock first; the trip ends once the lock reports closed / Bitte zuerst das Schloss schließen',
  ) {
    super(message);
  }
}

/** The vehicle's last position is too far from the station. */
export class VehicleNotAtStationError extends DomainError {
  constructor(
    readonly distanceMeters: number,
    message = `The vehicle is ${distanceMeters} m away from the station; park it at the station / Das Fahrzeug steht nicht an der Station`,
  ) {
    super(message);
  }
}

export class TripStateError extends DomainError {}

/** The lock answered but did not open (rejected or failed, e.g. jammed). */
export class UnlockFailedError extends DomainError {
  constructor(
    readonly commandId: string,
    readonly deviceState: string | null,
    message = 'The lock did not open; please try again or call the operator / Das Schloss hat nicht geöffnet',
  ) {
    super(message);
  }
}
