import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { offsetConnection } from '../api/graphql/pagination.ts';
import { ALERT_KINDS, type DeviceAlert, type DeviceState } from './device.ts';

const AlertKindEnum = builder.enumType('DeviceAlertKind', {
  values: ALERT_KINDS.map((k) => k.toUpperCase()) as Uppercase<(typeof ALERT_KINDS)[number]>[],
});

const DeviceRef = builder.objectRef<DeviceState>('Device').implement({
  description: 'A lock or sensor of your town with its last reported state',
  fields: (t) => ({
    id: t.exposeID('id'),
    tenantId: t.exposeString('tenantId'),
    kind: t.exposeString('kind'),
    name: t.exposeString('name', { nullable: true }),
    online: t.exposeBoolean('online', { nullable: true }),
    lastSeenAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.lastSeenAt }),
    doorOpen: t.exposeBoolean('doorOpen', { nullable: true }),
    occupied: t.exposeBoolean('occupied', { nullable: true }),
    batteryPercent: t.exposeFloat('batteryPercent', { nullable: true }),
    lockState: t.exposeString('lockState', { nullable: true }),
  }),
});

const DeviceAlertRef = builder.objectRef<DeviceAlert>('DeviceAlert').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({
      type: AlertKindEnum,
      resolve: (a) => a.kind.toUpperCase() as Uppercase<DeviceAlert['kind']>,
    }),
    deviceId: t.exposeString('deviceId', { nullable: true }),
    spaceId: t.exposeID('spaceId', { nullable: true }),
    bookingId: t.exposeID('bookingId', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
    openedAt: t.field({ type: 'DateTime', resolve: (a) => a.openedAt }),
    resolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.resolvedAt }),
  }),
});

const DeviceConnection = builder.connectionObject(
  { type: DeviceRef, name: 'DeviceConnection' },
  { name: 'DeviceEdge' },
);
const DeviceAlertConnection = builder.connectionObject(
  { type: DeviceAlertRef, name: 'DeviceAlertConnection' },
  { name: 'DeviceAlertEdge' },
);

builder.queryFields((t) => ({
  devices: t.field({
    type: DeviceConnection,
    description: 'Staff: the locks and sensors of your town',
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) =>
      offsetConnection(args, (page) => ctx.services.devices.list(ctx.actor, page)),
  }),
  deviceAlerts: t.field({
    type: DeviceAlertConnection,
    description: 'Staff: alerts of your town, newest first (open ones only unless openOnly: false)',
    args: { openOnly: t.arg.boolean({ defaultValue: true }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) =>
      offsetConnection(args, (page) => ctx.services.devices.alerts(ctx.actor, args.openOnly ?? true, page)),
  }),
}));

builder.mutationField('resolveDeviceAlert', (t) =>
  t.field({
    type: DeviceAlertRef,
    args: { id: t.arg.id({ required: true }) },
    errors: { types: commonErrors, union: { name: 'ResolveDeviceAlertResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.devices.resolveAlert(ctx.actor, id),
  }),
);

builder.subscriptionField('deviceAlertRaised', (t) =>
  t.field({
    type: DeviceAlertRef,
    description: 'Staff: every new alert of your town as it is raised',
    subscribe: (_root, _args, ctx) => ctx.services.devices.alertsRaised(ctx.actor),
    resolve: (alert) => alert,
  }),
);
