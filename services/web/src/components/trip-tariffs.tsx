import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  FORM_FACTORS,
  type FormFactor,
  SET_VEHICLE_TARIFF,
  VEHICLE_TARIFFS,
  type VehicleTariff,
} from '../api/station-operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatHundredths, parseHundredths } from '../number-input.ts';
import {
  AdminForm,
  DoneNotice,
  SelectField,
  sendAdmin,
  TextField,
  useFields,
  useSave,
} from './admin-form.tsx';
import { LoadState, TableScroll, useLoad } from './ui.tsx';

const FIELDS = ['formFactor', 'name', 'hourCents', 'dayCents', 'vatRateBasisPoints'] as const;

/** The town's trip prices per kind of vehicle; operators and admins set a new one. */
export function TripTariffs({ tenantId, canManage }: { tenantId: string; canManage: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = t.fleetAdmin;
  const loaded = useLoad(
    () => gql<{ vehicleTariffs: VehicleTariff[] }>(VEHICLE_TARIFFS, { tenant: tenantId }),
    [tenantId],
  );
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const tariffs = loaded.data?.vehicleTariffs ?? [];
  const money = (cents: number | null) => (cents === null ? '–' : i18n.money(cents));
  return (
    <div class="stack">
      <h3>{f.tripTariffs}</h3>
      <p class="hint">{f.tripTariffsHint}</p>
      <LoadState loaded={loaded} />
      {done && <DoneNotice text={done} />}
      {loaded.data && tariffs.length === 0 && <p>{f.noTripTariffs}</p>}
      {tariffs.length > 0 && (
        <TableScroll label={f.tripTariffs}>
          <table>
            <caption>{f.tripTariffs}</caption>
            <thead>
              <tr>
                <th scope="col">{f.formFactor}</th>
                <th scope="col">{f.tariffName}</th>
                <th scope="col">{f.hourPrice}</th>
                <th scope="col">{f.dayPrice}</th>
              </tr>
            </thead>
            <tbody>
              {tariffs.map((tariff) => (
                <tr key={tariff.id}>
                  <th scope="row">{t.stations.formFactors[tariff.formFactor]}</th>
                  <td>{tariff.name}</td>
                  <td>{money(tariff.hourCents)}</td>
                  <td>{money(tariff.dayCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {canManage && !open && (
        <button
          type="button"
          class="admin-open"
          onClick={() => {
            setDone(null);
            setOpen(true);
          }}
        >
          {f.setTripTariff}
        </button>
      )}
      {open && (
        <TripTariffForm
          onSaved={(saved) => {
            setOpen(false);
            setDone(f.tripTariffSaved(saved.name));
            loaded.reload();
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </div>
  );
}

function TripTariffForm(props: { onSaved(tariff: VehicleTariff): void; onCancel(): void }) {
  const { t, lang } = useI18n();
  const f = t.fleetAdmin;
  const [formFactor, setFormFactor] = useState<FormFactor>('CARGO_BICYCLE');
  const { values, bind } = useFields({
    name: '',
    hourCents: '',
    dayCents: '',
    vatRateBasisPoints: formatHundredths(1900, lang).replace(/[.,]00$/, ''),
  });
  const saving = useSave();
  const { error, setError, save } = saving;
  const form = 'trip-tariff';

  const submit = () => {
    const hourCents = parseHundredths(values.hourCents);
    const dayCents = parseHundredths(values.dayCents);
    const vatRateBasisPoints = parseHundredths(values.vatRateBasisPoints);
    if (hourCents === 'invalid') return setError({ field: 'hourCents', text: f.invalidAmount });
    if (dayCents === 'invalid') return setError({ field: 'dayCents', text: f.invalidAmount });
    if (hourCents === null && dayCents === null) return setError({ field: 'hourCents', text: f.needPrice });
    if (vatRateBasisPoints === 'invalid' || vatRateBasisPoints === null) {
      return setError({ field: 'vatRateBasisPoints', text: f.invalidVat });
    }
    const input = { formFactor, name: values.name, hourCents, dayCents, vatRateBasisPoints };
    void save<VehicleTariff>(() => sendAdmin(SET_VEHICLE_TARIFF, { input }), props.onSaved);
  };

  const shared = { form, error };
  return (
    <AdminForm
      id={form}
      title={f.setTripTariff}
      fields={FIELDS}
      saving={saving}
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <SelectField<FormFactor>
        {...shared}
        field="formFactor"
        label={f.formFactor}
        value={formFactor}
        options={FORM_FACTORS.map((ff) => ({ value: ff, label: t.stations.formFactors[ff] }))}
        onChange={setFormFactor}
      />
      <TextField {...shared} {...bind('name')} label={f.tariffName} required maxLength={120} />
      <div class="admin-form-row">
        <TextField {...shared} {...bind('hourCents')} label={f.hourPrice} inputMode="decimal" />
        <TextField {...shared} {...bind('dayCents')} label={f.dayPrice} inputMode="decimal" />
        <TextField
          {...shared}
          {...bind('vatRateBasisPoints')}
          label={f.vatPercent}
          required
          inputMode="decimal"
        />
      </div>
    </AdminForm>
  );
}
