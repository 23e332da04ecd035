import { useState } from 'preact/hooks';
import {
  CREATE_TARIFF,
  type SpaceType,
  TARIFF_PRICE_FIELDS,
  type Tariff,
  type TariffPriceField,
  UPDATE_TARIFF,
} from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatHundredths, parseHundredths } from '../number-input.ts';
import { AdminForm, SpaceTypeField, TextField, useFields, useSave } from './admin-form.tsx';

const FIELDS = ['name', 'spaceType', ...TARIFF_PRICE_FIELDS, 'depositCents', 'vatRateBasisPoints'] as const;
type AmountField = TariffPriceField | 'depositCents' | 'vatRateBasisPoints';

/** Free means every unit the tariff offers costs nothing; an hour at 0 € covers any period. */
const isFree = (tariff: Tariff) =>
  TARIFF_PRICE_FIELDS.every((unit) => tariff[unit] === null || tariff[unit] === 0);

/**
 * Creates the tariff of a space type in the operator's town, or edits one. Prices are typed
 * in euros the reader's way ("2,50" or "2.50") and go to the API as cents; VAT as per cent
 * goes as basis points.
 */
export function TariffForm(props: { tariff?: Tariff; onSaved(tariff: Tariff): void; onCancel(): void }) {
  const { t, lang } = useI18n();
  const a = t.garageAdmin;
  const { tariff } = props;
  const amount = (field: AmountField) => formatHundredths(tariff ? tariff[field] : null, lang);
  const { values, bind } = useFields<'name' | AmountField>({
    name: tariff?.name ?? '',
    hourCents: amount('hourCents'),
    dayCents: amount('dayCents'),
    weekCents: amount('weekCents'),
    monthCents: amount('monthCents'),
    subscriptionMonthCents: amount('subscriptionMonthCents'),
    depositCents: tariff?.depositCents ? amount('depositCents') : '',
    // "19", not "19,00": a rate is seldom fractional.
    vatRateBasisPoints: tariff ? amount('vatRateBasisPoints').replace(/[.,]00$/, '') : '19',
  });
  const [spaceType, setSpaceType] = useState<SpaceType>(tariff?.spaceType ?? 'STANDARD');
  const [free, setFree] = useState(tariff ? isFree(tariff) : false);
  const saving = useSave();
  const { error, setError, saveEntity } = saving;
  const form = tariff ? `tariff-${tariff.id}` : 'tariff-new';

  const submit = () => {
    const read: Partial<Record<AmountField, number | null>> = {};
    const typed: AmountField[] = [...(free ? [] : TARIFF_PRICE_FIELDS), 'depositCents', 'vatRateBasisPoints'];
    for (const field of typed) {
      const value = parseHundredths(values[field]);
      if (value === 'invalid') return setError({ field, text: a.invalid[field] });
      read[field] = value;
    }
    if (read.vatRateBasisPoints == null) {
      return setError({ field: 'vatRateBasisPoints', text: a.invalid.vatRateBasisPoints });
    }
    const prices = Object.fromEntries(
      TARIFF_PRICE_FIELDS.map((unit) => [
        unit,
        free ? (unit === 'hourCents' ? 0 : null) : (read[unit] ?? null),
      ]),
    );
    const fields = {
      name: values.name,
      ...prices,
      depositCents: read.depositCents ?? 0,
      vatRateBasisPoints: read.vatRateBasisPoints,
    };
    void saveEntity([CREATE_TARIFF, UPDATE_TARIFF], tariff?.id, fields, { spaceType }, props.onSaved);
  };

  const shared = { form, error };
  return (
    <AdminForm
      id={form}
      title={tariff ? a.editTariff(tariff.name) : a.newTariffTitle}
      fields={FIELDS}
      saving={saving}
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <TextField {...shared} {...bind('name')} label={a.tariffName} required maxLength={120} />
      <SpaceTypeField
        {...shared}
        field="spaceType"
        label={a.tariffSpaceType}
        value={spaceType}
        onChange={setSpaceType}
        disabled={tariff !== undefined}
        hint={tariff ? a.spaceTypeFixed : undefined}
      />
      <div class="check-field">
        <input
          id={`${form}-free`}
          type="checkbox"
          checked={free}
          onChange={(e) => setFree(e.currentTarget.checked)}
        />
        <label for={`${form}-free`}>{a.free}</label>
      </div>
      {!free && (
        <fieldset aria-describedby={`${form}-prices-hint`}>
          <legend>{a.prices}</legend>
          <p id={`${form}-prices-hint`} class="hint">
            {a.pricesHint}
          </p>
          <div class="admin-form-row">
            {TARIFF_PRICE_FIELDS.map((unit) => (
              <TextField key={unit} {...shared} {...bind(unit)} label={a.unit[unit]} inputMode="decimal" />
            ))}
          </div>
        </fieldset>
      )}
      <div class="admin-form-row">
        <TextField
          {...shared}
          {...bind('depositCents')}
          label={a.depositEuro}
          hint={a.depositHint}
          optional
          inputMode="decimal"
        />
        <TextField
          {...shared}
          {...bind('vatRateBasisPoints')}
          label={a.vatPercent}
          hint={a.vatHint}
          required
          inputMode="decimal"
        />
      </div>
    </AdminForm>
  );
}
