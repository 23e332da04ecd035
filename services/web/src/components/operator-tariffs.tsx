import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { RETIRE_TARIFF, TARIFFS, type Tariff } from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { DoneNotice, EditButton, RetireStep, sendAdmin } from './admin-form.tsx';
import { TariffForm } from './tariff-form.tsx';
import { LoadState, TableScroll, useLoad } from './ui.tsx';

/**
 * The town's tariffs in force, one per space type; operators and admins create, change and
 * retire them (createTariff, updateTariff, retireTariff).
 */
export function TariffsSection({
  tenantId,
  canManage,
}: {
  tenantId: string | undefined;
  canManage: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const a = t.garageAdmin;
  const loaded = useLoad(
    async () => (tenantId ? (await gql<{ tariffs: Tariff[] }>(TARIFFS, { tenant: tenantId })).tariffs : []),
    [tenantId],
  );
  const [panel, setPanel] = useState<{ tariff?: Tariff } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const tariffs = loaded.data ?? [];
  const price = (cents: number | null, currency: string) =>
    cents === null ? '–' : i18n.money(cents, currency);
  const percent = (basisPoints: number) => i18n.number(basisPoints / 100, basisPoints % 100 === 0 ? 0 : 2);
  const open = (tariff?: Tariff) => {
    setDone(null);
    setPanel(tariff ? { tariff } : {});
  };
  const finish = (text: string) => {
    setPanel(null);
    setDone(text);
    loaded.reload();
  };
  return (
    <section class="card" aria-labelledby="tariffs-heading">
      <h2 id="tariffs-heading">{t.operator.tariffs}</h2>
      <LoadState loaded={loaded} />
      {done && <DoneNotice text={done} />}
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
                <th scope="col">{a.vat}</th>
                {canManage && <th scope="col">{a.actions}</th>}
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
                  <td>{a.percent(percent(tariff.vatRateBasisPoints))}</td>
                  {canManage && (
                    <td>
                      <EditButton name={a.editTariff(tariff.name)} onClick={() => open(tariff)} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {canManage && !panel && (
        <button type="button" class="admin-open" onClick={() => open()}>
          {a.newTariff}
        </button>
      )}
      {panel && (
        <div class="admin-panel stack" key={panel.tariff?.id ?? 'new'}>
          <TariffForm
            tariff={panel.tariff}
            onSaved={(saved) =>
              finish(panel.tariff ? a.tariffSaved(saved.name) : a.tariffCreated(saved.name))
            }
            onCancel={() => setPanel(null)}
          />
          {panel.tariff && (
            <RetireStep<Tariff>
              label={a.retireTariff(panel.tariff.name)}
              question={a.retireTariffAsk(panel.tariff.name)}
              send={() => sendAdmin(RETIRE_TARIFF, { id: panel.tariff?.id })}
              onRetired={(retired) => finish(a.tariffRetired(retired.name))}
            />
          )}
        </div>
      )}
    </section>
  );
}
