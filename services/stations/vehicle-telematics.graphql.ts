import { builder } from '../api/graphql/builder.ts';
import { SharedVehicleRef } from './station-refs.graphql.ts';
import type { VehicleLiveStatus } from './vehicle-telemetry.repository.ts';

/** The live state of a vehicle's telematics device, for the staff of its town only. */
const VehicleTelematicsRef = builder.objectRef<VehicleLiveStatus>('VehicleTelematics').implement({
  description: 'What the vehicle’s telematics device last reported (staff of its town)',
  fields: (t) => ({
    lockState: t.exposeString('lockState', { nullable: true, description: 'locked, unlocked or jammed' }),
    doorOpen: t.exposeBoolean('doorOpen', { nullable: true }),
    batteryPercent: t.exposeFloat('batteryPercent', { nullable: true }),
    online: t.exposeBoolean('online', { nullable: true }),
    lastSeenAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.lastSeenAt }),
    lat: t.float({ nullable: true, resolve: (s) => s.position?.lat ?? null }),
    lon: t.float({ nullable: true, resolve: (s) => s.position?.lon ?? null }),
    positionAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.position?.at ?? null }),
  }),
});

builder.objectField(SharedVehicleRef, 'telematics', (t) =>
  t.field({
    type: VehicleTelematicsRef,
    nullable: true,
    description: 'Staff of the vehicle’s town: lock, battery and position as last reported; null for others',
    resolve: (v, _args, ctx) => ctx.services.fleet.liveStatus(ctx.actor, v),
  }),
);
