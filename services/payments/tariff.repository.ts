import type { TariffRow, Tx } from '../core/db/database.ts';
import type { SpaceType } from '../garages/space.ts';
import type { Tariff } from './tariff.ts';

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
      .returningAll()
      .executeTakeFirst();
    return row && tariffRowToTariff(row);
  },

  async findById(tx: Tx, id: string): Promise<Tariff | undefined> {
    const row = await tx.selectFrom('tariff').selectAll().where('id', '=', id).executeTakeFirst();
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

  async list(tx: Tx, filter: { tenantId?: string; includeRetired: boolean }): Promise<Tariff[]> {
    let query = tx.selectFrom('tariff').selectAll();
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
