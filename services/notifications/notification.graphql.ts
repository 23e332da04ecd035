import { builder } from '../api/graphql/builder.ts';
import { commonErrors } from '../api/graphql/errors.graphql.ts';
import { offsetConnection } from '../api/graphql/pagination.ts';
import type { Notification } from './notification.ts';

const NotificationRef = builder.objectRef<Notification>('Notification').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind'),
    subject: t.exposeString('subject'),
    body: t.exposeString('body'),
    payloadJson: t.string({ resolve: (n) => JSON.stringify(n.payload) }),
    read: t.boolean({ resolve: (n) => n.readAt !== null }),
    emailStatus: t.string({ resolve: (n) => n.emailStatus.toUpperCase() }),
    createdAt: t.field({ type: 'DateTime', resolve: (n) => n.createdAt }),
  }),
});

const NotificationConnection = builder.connectionObject(
  { type: NotificationRef, name: 'NotificationConnection' },
  { name: 'NotificationEdge' },
);

builder.queryField('myNotifications', (t) =>
  t.field({
    type: NotificationConnection,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) =>
      offsetConnection(args, (page) => ctx.services.notifications.listMine(ctx.actor, page)),
  }),
);

builder.mutationField('markNotificationRead', (t) =>
  t.field({
    type: NotificationRef,
    args: { id: t.arg.id({ required: true }) },
    errors: { types: commonErrors, union: { name: 'MarkNotificationReadResult' } },
    resolve: (_root, { id }, ctx) => ctx.services.notifications.markRead(ctx.actor, id),
  }),
);
