import { createPubSub } from 'graphql-yoga';
import type { Clock } from '../core/clock.ts';
import type { DatabaseHandle } from '../core/db/connect.ts';
import type { Db } from '../core/db/database.ts';
import { ForbiddenError, NotFoundError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, withActor } from '../core/tenancy.ts';
import { deviceRepository } from './device.repository.ts';
import type { DeviceAlert, DeviceState } from './device.ts';

function requireStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new ForbiddenError('Only staff of a town see its devices');
}

/**
 * Device state and alerts for a town's staff. Alerts are raised by the reconciliation
 * worker and announced with pg_notify('device_alert_raised'); each subscriber reloads the
 * alert under its own identity, so row-level security decides who hears of it.
 */
export class DeviceService {
  private readonly pubsub = createPubSub<{ alertRaised: [alertId: string] }>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async start(handle: DatabaseHandle): Promise<void> {
    this.unlisten = await handle.listen('device_alert_raised', (id) =>
      this.pubsub.publish('alertRaised', id),
    );
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  async list(actor: Actor, page: { limit: number; offset: number }): Promise<DeviceState[]> {
    requireStaff(actor);
    return withActor(this.db, actor, (tx) => deviceRepository.list(tx, page));
  }

  async alerts(
    actor: Actor,
    openOnly: boolean,
    page: { limit: number; offset: number },
  ): Promise<DeviceAlert[]> {
    requireStaff(actor);
    return withActor(this.db, actor, (tx) => deviceRepository.listAlerts(tx, openOnly, page));
  }

  async resolveAlert(actor: Actor, id: string): Promise<DeviceAlert> {
    if (!isStaff(actor) || actor.role === 'planner')
      throw new ForbiddenError('Only operators resolve alerts');
    const resolved = isUuid(id)
      ? await withActor(this.db, actor, (tx) => deviceRepository.resolveAlert(tx, id, this.clock.now()))
      : undefined;
    if (!resolved) throw new NotFoundError('Open alert not found');
    return resolved;
  }

  async *alertsRaised(actor: Actor): AsyncGenerator<DeviceAlert> {
    requireStaff(actor);
    for await (const id of this.pubsub.subscribe('alertRaised')) {
      const alert = await withActor(this.db, actor, (tx) => deviceRepository.findAlertById(tx, id));
      if (alert) yield alert;
    }
  }
}
