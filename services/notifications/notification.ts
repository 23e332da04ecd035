export interface Notification {
  id: string;
  accountId: string;
  tenantId: string | null;
  kind: string;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  readAt: Date | null;
  emailStatus: 'pending' | 'sent' | 'logged' | 'failed';
  createdAt: Date;
}

export interface NewNotification {
  accountId: string;
  tenantId: string | null;
  kind: string;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
}
