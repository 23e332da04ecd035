/** GraphQL operations the station tests send, as the web app would. */

export const RESERVE_VEHICLE = `
  mutation($input: ReserveVehicleInput!) {
    reserveVehicle(input: $input) {
      __typename
      ... on VehicleReservation { id status from to vehicle { id } station { id } }
      ... on ValidationError { field }
      ... on Error { message }
    }
  }`;

export const START_TRIP = `
  mutation($id: ID!) {
    startTrip(reservationId: $id) {
      __typename
      ... on Trip { id status startedAt startStation { id } unlockCommand { status deviceState } }
      ... on DeviceUnreachableError { commandId }
      ... on UnlockFailedError { commandId deviceState }
      ... on Error { message }
    }
  }`;

export const END_TRIP = `
  mutation($trip: ID!, $station: ID!) {
    endTrip(tripId: $trip, stationId: $station) {
      __typename
      ... on Trip {
        id status durationSeconds distanceMeters positionConfirmed priceStatus priceCents
        startStation { id } endStation { id } reservation { status }
        vehicle { status station { id } }
      }
      ... on StationFullError { stationId }
      ... on ReturnNotAllowedError { reason }
      ... on VehicleNotAtStationError { metersFromStation }
      ... on Error { message }
    }
  }`;

export function reserveInput(vehicleId: string, from: Date, to: Date, idempotencyKey: string) {
  return { input: { vehicleId, from: from.toISOString(), to: to.toISOString(), idempotencyKey } };
}
