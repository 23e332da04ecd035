import { SPACE_TYPES, type SpaceType } from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { fromLocalInput, toLocalInput } from '../time.ts';

export interface PeriodValue {
  from: string;
  to: string;
  spaceType: SpaceType | '';
}

/** Reads a period from a page's query string (?from=…&to=…&type=…), falling back to `fallback`. */
export function periodFromSearch(search: URLSearchParams, fallback: { from: Date; to: Date }): PeriodValue {
  const date = (key: string, otherwise: Date) => {
    const value = search.get(key);
    const parsed = value ? new Date(value) : null;
    return toLocalInput(parsed && !Number.isNaN(parsed.getTime()) ? parsed : otherwise);
  };
  const type = search.get('type');
  return {
    from: date('from', fallback.from),
    to: date('to', fallback.to),
    spaceType: SPACE_TYPES.includes(type as SpaceType) ? (type as SpaceType) : '',
  };
}

export function periodToSearch(value: PeriodValue): URLSearchParams {
  const params = new URLSearchParams();
  const from = fromLocalInput(value.from);
  const to = fromLocalInput(value.to);
  if (from) params.set('from', from.toISOString());
  if (to) params.set('to', to.toISOString());
  if (value.spaceType) params.set('type', value.spaceType);
  return params;
}

/** The period as instants for the API, or null while it is incomplete or ends before it starts. */
export function periodInstants(value: PeriodValue): { from: Date; to: Date } | null {
  const from = fromLocalInput(value.from);
  const to = fromLocalInput(value.to);
  if (!from || !to || to.getTime() <= from.getTime()) return null;
  return { from, to };
}

/** Space kind, start and end: labelled inputs the phone fills with its own pickers. */
export function PeriodFields(props: {
  idPrefix: string;
  value: PeriodValue;
  onChange(value: PeriodValue): void;
  anyType?: boolean;
}) {
  const { t } = useI18n();
  const { value, onChange, idPrefix } = props;
  const invalid = value.from !== '' && value.to !== '' && periodInstants(value) === null;
  return (
    <div class="period-fields">
      <div class="field">
        <label for={`${idPrefix}-type`}>{t.find.spaceType}</label>
        <select
          id={`${idPrefix}-type`}
          value={value.spaceType}
          onChange={(e) => onChange({ ...value, spaceType: e.currentTarget.value as SpaceType | '' })}
        >
          {props.anyType !== false && <option value="">{t.spaceType.any}</option>}
          {SPACE_TYPES.map((type) => (
            <option key={type} value={type}>
              {t.spaceType[type]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${idPrefix}-from`}>{t.find.from}</label>
        <input
          id={`${idPrefix}-from`}
          type="datetime-local"
          required
          value={value.from}
          onInput={(e) => onChange({ ...value, from: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for={`${idPrefix}-to`}>{t.find.to}</label>
        <input
          id={`${idPrefix}-to`}
          type="datetime-local"
          required
          value={value.to}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${idPrefix}-period-error` : undefined}
          onInput={(e) => onChange({ ...value, to: e.currentTarget.value })}
        />
      </div>
      {invalid && (
        <p id={`${idPrefix}-period-error`} class="field-error" role="alert">
          {t.period.invalid}
        </p>
      )}
    </div>
  );
}
