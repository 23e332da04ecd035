import { builder } from '../api/graphql/builder.ts';
import { ErrorInterface } from '../api/graphql/errors.graphql.ts';
import {
  RETURN_REFUSALS,
  ReturnNotAllowedError,
  StationFullError,
  TripStateError,
  UnlockFailedError,
  VehicleNotAtStationError,
  VehicleNotLockedError,
  VehicleUnavailableError,
} from './station-errors.ts';

const ReturnRefusalEnum = builder.enumType('ReturnRefusal', {
  values: [...RETURN_REFUSALS],
  description:
    'Why a station refuses a vehicle: it takes no returns, the town has no one-way trips, another town’s station, or the vehicle is reserved next at another station',
});

builder.objectType(VehicleUnavailableError, {
  name: 'VehicleUnavailableError',
  description: 'The vehicle is reserved for (part of) the period, out of service, or not at a station.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof VehicleUnavailableError,
});

builder.objectType(StationFullError, {
  name: 'StationFullError',
  description: 'Every place for vehicles at this station is taken; return the vehicle at another station.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof StationFullError,
  fields: (t) => ({ stationId: t.exposeID('stationId') }),
});

builder.objectType(ReturnNotAllowedError, {
  name: 'ReturnNotAllowedError',
  description: 'This station may not take the vehicle back; `reason` says why.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ReturnNotAllowedError,
  fields: (t) => ({ reason: t.field({ type: ReturnRefusalEnum, resolve: (e) => e.reason }) }),
});

builder.objectType(VehicleNotLockedError, {
  name: 'VehicleNotLockedError',
  description: 'The vehicle’s lock has not reported closed since the trip started; close it and try again.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof VehicleNotLockedError,
});

builder.objectType(VehicleNotAtStationError, {
  name: 'VehicleNotAtStationError',
  description: 'The vehicle’s last reported position is too far from the station.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof VehicleNotAtStationError,
  fields: (t) => ({ metersFromStation: t.exposeInt('distanceMeters') }),
});

builder.objectType(TripStateError, {
  name: 'TripStateError',
  description: 'The trip or reservation is not in a state that allows this (or it is too early or too late).',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof TripStateError,
});

builder.objectType(UnlockFailedError, {
  name: 'UnlockFailedError',
  description: 'The vehicle’s lock answered but did not open (e.g. jammed). Nothing was started.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof UnlockFailedError,
  fields: (t) => ({
    commandId: t.exposeID('commandId', { nullable: true }),
    deviceState: t.exposeString('deviceState', { nullable: true }),
  }),
});
