import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import { NotAuthenticatedError, NotFoundError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, withActor } from '../core/tenancy.ts';
import { notificationRepository } from './notification.repository.ts';
import type { Notification } from './notification.ts';

export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async listMine(actor: Actor, page: { limit: number; offset: number }): Promise<Notification[]> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    return withActor(this.db, actor, (tx) =>
      notificationRepository.listByAccount(tx, actor.accountId!, page),
    );
  }

  async markRead(actor: Actor, id: string): Promise<Notification> {
    if (!actor.accountId) throw new NotAuthenticatedError();
    const found = isUuid(id)
      ? await withActor(this.db, actor, (tx) => notificationRepository.markRead(tx, id, this.clock.now()))
      : undefined;
    if (!found) throw new NotFoundError('Notification not found');
    return found;
  }
}
