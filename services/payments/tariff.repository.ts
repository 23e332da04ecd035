import type { TariffRow, Tx } from '../core/db/database.ts';
import type { SpaceType } from '../garages/space.ts';
import type { FormFactor } from '../stations/vehicle.ts';
import type { Tariff, VehicleTariff } from './tariff.ts';

export function tariffRowToTariff(row: TariffRow): Tariff {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    spaceType: row.space_type as SpaceType,
    name: row.name,
    prices: { HOUR: row.hour_cents, DAY: row.day_cents, WEEK: row.week_cents, MONTH: row.month_cents },
    subscriptionMonthCents: row.subscription_month_cents,
    depositCents: row.deposit_cents,
    vatRateBp: row.vat_rate_bp,
    retiredAt: row.retired_at,
    createdAt: row.created_at,
  };
}

export function tariffRowToVehicleTariff(row: TariffRow): VehicleTariff {
  const { spaceType: _bikeBoxesOnly, ...tariff } = tariffRowToTariff(row);
  return { ...tariff, formFactor: row.form_factor as FormFactor };
}

/** Column values of a validated tariff input; undefined leaves a column as it is. */
export interface TariffColumns {
  name?: string;
  hour_cents?: number | null;
  day_cents?: number | null;
  week_cents?: number | null;
  month_cents?: number | null;
  subscription_month_cents?: number | null;
  deposit_cents?: number;
  vat_rate_bp?: number;
}

export const tariffRepository = {
  async insert(
    tx: Tx,
    tenantId: string,
    spaceType: SpaceType,
    columns: TariffColumns & { name: string; vat_rate_bp: number },
  ): Promise<Tariff> {
    const row = await tx
      .insertInto('tariff')
      .values({ tenant_id: tenantId, space_type: spaceType, ...columns })
      .returningAll()
      .executeTakeFirstOrThrow();
    return tariffRowToTariff(row);
  },

  /** Only tariffs in force change; a retired one is history. */
  async update(tx: Tx, id: string, columns: TariffColumns, at: Date): Promise<Tariff | undefined> {
    const row = await tx
      .updateTable('tariff')
      .set({ ...columns, updated_at: at })
      .where('id', '=', id)
      .where('space_type', 'is not', null)
      .where('retired_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row && tariffRowToTariff(row);
  },

  async retire(tx: Tx, id: string, at: Date): Promise<Tariff | undefined> {
    const row = await tx
      .updateTable('tariff')
      .set((eb) => ({ retired_at: eb.fn.coalesce('retired_at', eb.val(at)), updated_at: at }))
      .where('id', '=', id)
      .where('space_type', 'is not', null)
      .returningAll()
      .executeTakeFirst();
    return row && tariffRowToTariff(row);
  },

  async findById(tx: Tx, id: string): Promise<Tariff | undefined> {
    const row = await tx
      .selectFrom('tariff')
      .selectAll()
      .where('id', '=', id)
      .where('space_type', 'is not', null)
      .executeTakeFirst();
    return row && tariffRowToTariff(row);
  },

  async findActive(tx: Tx, tenantId: string, spaceType: SpaceType): Promise<Tariff | undefined> {
    const row = await tx
      .selectFrom('tariff')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('space_type', '=', spaceType)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    return row && tariffRowToTariff(row);
  },

  async insertForVehicles(
    tx: Tx,
    tenantId: string,
    formFactor: FormFactor,
    columns: TariffColumns & { name: string; vat_rate_bp: number },
  ): Promise<VehicleTariff> {
    const row = await tx
      .insertInto('tariff')
      .values({ tenant_id: tenantId, form_factor: formFactor, ...columns })
      .returningAll()
      .executeTakeFirstOrThrow();
    return tariffRowToVehicleTariff(row);
  },

  async retireForVehicles(tx: Tx, tenantId: string, formFactor: FormFactor, at: Date): Promise<void> {
    await tx
      .updateTable('tariff')
      .set({ retired_at: at, updated_at: at })
      .where('tenant_id', '=', tenantId)
      .where('form_factor', '=', formFactor)
      .where('retired_at', 'is', null)
      .execute();
  },

  /** The trip tariff in force for a form factor of shared vehicles. */
  async findActiveForVehicles(
    tx: Tx,
    tenantId: string,
    formFactor: FormFactor,
  ): Promise<VehicleTariff | undefined> {
    const row = await tx
      .selectFrom('tariff')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('form_factor', '=', formFactor)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    return row && tariffRowToVehicleTariff(row);
  },

  async listActiveForVehicles(tx: Tx, tenantId: string): Promise<VehicleTariff[]> {
    const rows = await tx
      .selectFrom('tariff')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('form_factor', 'is not', null)
      .where('retired_at', 'is', null)
      .orderBy('form_factor')
      .execute();
    return rows.map(tariffRowToVehicleTariff);
  },

  /** Bike-box tariffs; trip tariffs of shared vehicles are read with the *ForVehicles queries. */
  async list(tx: Tx, filter: { tenantId?: string; includeRetired: boolean }): Promise<Tariff[]> {
    let query = tx.selectFrom('tariff').selectAll().where('space_type', 'is not', null);
    if (filter.tenantId) query = query.where('tenant_id', '=', filter.tenantId);
    if (!filter.includeRetired) query = query.where('retired_at', 'is', null);
    const rows = await query
      .orderBy('tenant_id')
      .orderBy('space_type')
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(tariffRowToTariff);
  },
};
