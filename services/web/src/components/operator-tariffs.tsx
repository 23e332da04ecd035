import { gql } from '../api/client.ts';
import { TARIFFS, type Tariff } from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { LoadState, TableScroll, useLoad } from './ui.tsx';

/** The town's tariffs in force, one per space type (changes go through createTariff/updateTariff). */
export function TariffsSection({ tenantId }: { tenantId: string | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(
    async () => (tenantId ? (await gql<{ tariffs: Tariff[] }>(TARIFFS, { tenant: tenantId })).tariffs : []),
    [tenantId],
  );
  const tariffs = loaded.data ?? [];
  const price = (cents: number | null, currency: string) =>
    cents === null ? '–' : i18n.money(cents, currency);
  return (
    <section class="card" aria-labelledby="tariffs-heading">
      <h2 id="tariffs-heading">{t.operator.tariffs}</h2>
      <LoadState loaded={loaded} />
      {loaded.data && tariffs.length === 0 && <p>{t.operator.noTariffs}</p>}
      {tariffs.length > 0 && (
        <TableScroll label={t.operator.tariffs}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.operator.tariffName}</th>
                <th scope="col">{t.operator.type}</th>
                <th scope="col">{t.operator.perHour}</th>
                <th scope="col">{t.operator.perDay}</th>
                <th scope="col">{t.operator.perWeek}</th>
                <th scope="col">{t.operator.perMonth}</th>
                <th scope="col">{t.operator.subscription}</th>
                <th scope="col">{t.operator.deposit}</th>
              </tr>
            </thead>
            <tbody>
              {tariffs.map((tariff) => (
                <tr key={tariff.id}>
                  <td>{tariff.name}</td>
                  <td>{t.spaceType[tariff.spaceType]}</td>
                  <td>{price(tariff.hourCents, tariff.currency)}</td>
                  <td>{price(tariff.dayCents, tariff.currency)}</td>
                  <td>{price(tariff.weekCents, tariff.currency)}</td>
                  <td>{price(tariff.monthCents, tariff.currency)}</td>
                  <td>{price(tariff.subscriptionMonthCents, tariff.currency)}</td>
                  <td>{price(tariff.depositCents, tariff.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
