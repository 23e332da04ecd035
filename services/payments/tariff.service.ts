import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import { ForbiddenError, NotFoundError, PgCode, pgErrorCode, ValidationError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, isStaff, withActor } from '../core/tenancy.ts';
import { tenantRepository } from '../core/tenant.ts';
import { validatePeriod } from '../garages/booking-period.ts';
import { parseInput } from '../garages/inventory.validation.ts';
import { spaceRepository } from '../garages/space.repository.ts';
import { type Price, priceForPeriod } from './pricing.ts';
import { type TariffColumns, tariffRepository } from './tariff.repository.ts';
import type { Tariff, TariffInput, TariffPatch, VehicleTariff, VehicleTariffInput } from './tariff.ts';
import { tariffInputSchema, tariffPatchSchema, vehicleTariffInputSchema } from './tariff.validation.ts';

export interface Quote extends Price {
  spaceId: string;
  from: Date;
  to: Date;
  /** Null: the town has no tariff for this space type, so it is free. */
  tariff: Tariff | null;
}

export function requireManager(actor: Actor): asserts actor is Actor & { tenantId: string } {
  if (!isStaff(actor) || actor.role === 'planner') {
    throw new ForbiddenError('Only operators and admins of a town manage its tariffs');
  }
}

function toColumns(input: TariffPatch): TariffColumns {
  const columns: TariffColumns = {};
  if (input.name !== undefined && input.name !== null) columns.name = input.name;
  if (input.hourCents !== undefined) columns.hour_cents = input.hourCents;
  if (input.dayCents !== undefined) columns.day_cents = input.dayCents;
  if (input.weekCents !== undefined) columns.week_cents = input.weekCents;
  if (input.monthCents !== undefined) columns.month_cents = input.monthCents;
  if (input.subscriptionMonthCents !== undefined)
    columns.subscription_month_cents = input.subscriptionMonthCents;
  if (input.depositCents !== undefined) columns.deposit_cents = input.depositCents ?? 0;
  if (input.vatRateBp !== undefined && input.vatRateBp !== null) columns.vat_rate_bp = input.vatRateBp;
  return columns;
}

/** Tariffs per town and space type, and the server-side price of any period. */
export class TariffService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Everyone sees the tariffs in force; staff also see their town's retired ones. */
  async list(actor: Actor, filter: { tenantId?: string; includeRetired?: boolean }): Promise<Tariff[]> {
    return withActor(this.db, actor, (tx) =>
      tariffRepository.list(tx, {
        tenantId: filter.tenantId,
        includeRetired: (filter.includeRetired ?? false) && isStaff(actor),
      }),
    );
  }

  async byId(actor: Actor, id: string): Promise<Tariff | undefined> {
    if (!isUuid(id)) return undefined;
    return withActor(this.db, actor, (tx) => tariffRepository.findById(tx, id));
  }

  async create(actor: Actor, input: TariffInput): Promise<Tariff> {
    requireManager(actor);
    const valid = parseInput(tariffInputSchema, input);
    const columns = toColumns(valid);
    try {
      return await withActor(this.db, actor, (tx) =>
        tariffRepository.insert(tx, actor.tenantId, valid.spaceType, {
          ...columns,
          name: valid.name,
          vat_rate_bp: valid.vatRateBp,
        }),
      );
    } catch (error) {
      if (pgErrorCode(error) === PgCode.uniqueViolation) {
        throw new ValidationError(
          'A tariff for this space type is in force already: update or retire it / Für diesen Platztyp gilt schon ein Tarif',
          'spaceType',
        );
      }
      throw error;
    }
  }

  async update(actor: Actor, id: string, patch: TariffPatch): Promise<Tariff> {
    requireManager(actor);
    const columns = toColumns(parseInput(tariffPatchSchema, patch));
    if (!isUuid(id)) throw new NotFoundError('Tariff not found');
    try {
      const tariff = await withActor(this.db, actor, (tx) =>
        tariffRepository.update(tx, id, columns, this.clock.now()),
      );
      if (!tariff) throw new NotFoundError('Tariff not found (or retired)');
      return tariff;
    } catch (error) {
      if (pgErrorCode(error) === PgCode.checkViolation) {
        throw new ValidationError('Give at least one price (0 makes it free)', 'hourCents');
      }
      throw error;
    }
  }

  /** Takes a tariff out of force; bookings already paid keep the price they paid. */
  async retire(actor: Actor, id: string): Promise<Tariff> {
    requireManager(actor);
    if (!isUuid(id)) throw new NotFoundError('Tariff not found');
    const tariff = await withActor(this.db, actor, (tx) => tariffRepository.retire(tx, id, this.clock.now()));
    if (!tariff) throw new NotFoundError('Tariff not found');
    return tariff;
  }

  /** Trip tariffs of shared vehicles in force in a town, one per form factor. */
  async listForVehicles(actor: Actor, tenantId: string): Promise<VehicleTariff[]> {
    return withActor(this.db, actor, (tx) => tariffRepository.listActiveForVehicles(tx, tenantId));
  }

  /**
   * Sets the trip tariff of a form factor in the manager's town: the one in force is retired
   * (finished trips keep the price they were given) and the new one applies to trips that end
   * from now on. Two managers racing meet the one-in-force index; the loser is told to retry.
   */
  async setForVehicles(actor: Actor, input: VehicleTariffInput): Promise<VehicleTariff> {
    requireManager(actor);
    const valid = parseInput(vehicleTariffInputSchema, input);
    const now = this.clock.now();
    try {
      return await withActor(this.db, actor, async (tx) => {
        await tariffRepository.retireForVehicles(tx, actor.tenantId, valid.formFactor, now);
        return tariffRepository.insertForVehicles(tx, actor.tenantId, valid.formFactor, {
          name: valid.name,
          hour_cents: valid.hourCents ?? null,
          day_cents: valid.dayCents ?? null,
          vat_rate_bp: valid.vatRateBp,
        });
      });
    } catch (error) {
      if (pgErrorCode(error) === PgCode.uniqueViolation) {
        throw new ValidationError('The tariff was changed at the same time; try again', 'formFactor');
      }
      throw error;
    }
  }

  /** The price of booking a space for [from, to), under the same period rules as booking it. */
  async quote(actor: Actor, spaceId: string, from: Date, to: Date): Promise<Quote> {
    if (!isUuid(spaceId)) throw new NotFoundError('Space not found');
    return withActor(this.db, actor, async (tx) => {
      const space = await spaceRepository.findById(tx, spaceId);
      if (!space || space.retiredAt) throw new NotFoundError('Space not found');
      const tenant = await tenantRepository.findById(tx, space.tenantId);
      if (!tenant) throw new NotFoundError('Space not found');
      validatePeriod(from, to, tenant, this.clock.now());
      const tariff = (await tariffRepository.findActive(tx, space.tenantId, space.type)) ?? null;
      return { ...priceForPeriod(tariff, from, to), spaceId, from, to, tariff };
    });
  }
}
