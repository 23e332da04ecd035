import type { NotificationRow, Tx } from '../core/db/database.ts';
import { jsonb } from '../core/db/jsonb.ts';
import type { NewNotification, Notification } from './notification.ts';

export function notificationRowToNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    accountId: row.account_id,
    tenantId: row.tenant_id,
    kind: row.kind,
    subject: row.subject,
    body: row.body,
    payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<
      string,
      unknown
    >,
    readAt: row.read_at,
    emailStatus: row.email_status as Notification['emailStatus'],
    createdAt: row.created_at,
  };
}

export const MAX_EMAIL_ATTEMPTS = 5;

export const notificationRepository = {
  async insertMany(tx: Tx, notifications: NewNotification[]): Promise<void> {
    if (notifications.length === 0) return;
    await tx
      .insertInto('notification')
      .values(
        notifications.map((n) => ({
          account_id: n.accountId,
          tenant_id: n.tenantId,
          kind: n.kind,
          subject: n.subject,
          body: n.body,
          payload: jsonb(n.payload),
        })),
      )
      .execute();
  },

  async listByAccount(
    tx: Tx,
    accountId: string,
    page: { limit: number; offset: number },
  ): Promise<Notification[]> {
    const rows = await tx
      .selectFrom('notification')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(notificationRowToNotification);
  },

  async markRead(tx: Tx, id: string, at: Date): Promise<Notification | undefined> {
    const row = await tx
      .updateTable('notification')
      .set({ read_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && notificationRowToNotification(row);
  },

  /** The oldest unsent e-mails, locked so that two mailers never send the same one. */
  async lockPendingEmails(tx: Tx, limit: number) {
    return tx
      .selectFrom('notification')
      .innerJoin('account', 'account.id', 'notification.account_id')
      .select([
        'notification.id',
        'notification.subject',
        'notification.body',
        'notification.email_attempts',
        'account.email',
      ])
      .where('notification.email_status', '=', 'pending')
      .orderBy('notification.created_at')
      .limit(limit)
      .forUpdate('notification')
      .skipLocked()
      .execute();
  },

  async setEmailOutcome(tx: Tx, id: string, status: 'sent' | 'logged' | 'failed' | 'pending', at: Date) {
    await tx
      .updateTable('notification')
      .set((eb) => ({
        email_status: status,
        email_attempts: eb('email_attempts', '+', 1),
        ...(status !== 'pending' && status !== 'failed' && { email_sent_at: at }),
      }))
      .where('id', '=', id)
      .execute();
  },
};
