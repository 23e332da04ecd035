import { useState } from 'preact/hooks';
import { CREATE_STATION, type OperatorStation, UPDATE_STATION } from '../api/station-operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatDegrees, parseDegrees } from '../number-input.ts';
import { AdminForm, TextField, useFields, useSave } from './admin-form.tsx';

const FIELDS = [
  'name',
  'lat',
  'lon',
  'vehicleCapacity',
  'chargingPoints',
  'busStopRef',
  'busStopName',
  'externalRef',
] as const;

/** A whole number in [0, max] from what the operator typed, or null. */
function wholeNumber(text: string, max: number): number | null {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= max ? n : null;
}

/**
 * Creates a mobility station of the operator's town or edits one: name, position, places,
 * whether it rents and takes returns, charging points, bus stop and the town's own reference.
 */
export function StationForm(props: {
  station?: OperatorStation;
  onSaved(station: OperatorStation): void;
  onCancel(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = t.fleetAdmin;
  const { station } = props;
  const { values, bind } = useFields({
    name: station?.name ?? '',
    lat: station ? formatDegrees(station.position.lat, i18n.lang) : '',
    lon: station ? formatDegrees(station.position.lon, i18n.lang) : '',
    vehicleCapacity: String(station?.vehicleCapacity ?? 4),
    chargingPoints: String(station?.chargingPoints ?? 0),
    busStopRef: station?.busStop?.ref ?? '',
    busStopName: station?.busStop?.name ?? '',
    externalRef: station?.externalRef ?? '',
  });
  const [acceptsReturns, setAcceptsReturns] = useState(station?.acceptsReturns ?? true);
  const [isRenting, setIsRenting] = useState(station?.isRenting ?? true);
  const saving = useSave();
  const { error, setError, saveEntity } = saving;
  const form = station ? `station-${station.id}` : 'station-new';

  const submit = () => {
    const lat = parseDegrees(values.lat);
    const lon = parseDegrees(values.lon);
    const vehicleCapacity = wholeNumber(values.vehicleCapacity, 500);
    const chargingPoints = wholeNumber(values.chargingPoints, 200);
    if (lat === 'invalid') return setError({ field: 'lat', text: t.garageAdmin.invalid.lat });
    if (lon === 'invalid') return setError({ field: 'lon', text: t.garageAdmin.invalid.lon });
    if (vehicleCapacity === null) return setError({ field: 'vehicleCapacity', text: f.invalidCapacity });
    if (chargingPoints === null) return setError({ field: 'chargingPoints', text: f.invalidChargingPoints });
    // Empty optional fields are not sent: absent keeps a value, and create needs none of them.
    const optional = Object.fromEntries(
      (['busStopRef', 'busStopName', 'externalRef'] as const)
        .map((k) => [k, values[k].trim()] as const)
        .filter(([, v]) => v !== ''),
    );
    const input = {
      name: values.name,
      position: { lat, lon },
      vehicleCapacity,
      chargingPoints,
      acceptsReturns,
      isRenting,
      ...optional,
    };
    void saveEntity([CREATE_STATION, UPDATE_STATION], station?.id, input, {}, props.onSaved);
  };

  const shared = { form, error };
  return (
    <AdminForm
      id={form}
      title={station ? f.editStation(station.name) : f.newStationTitle}
      fields={FIELDS}
      saving={saving}
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <TextField {...shared} {...bind('name')} label={f.stationName} required maxLength={200} />
      <fieldset aria-describedby={`${form}-position-hint`}>
        <legend>{t.garageAdmin.position}</legend>
        <p id={`${form}-position-hint`} class="hint">
          {t.garageAdmin.positionHint}
        </p>
        <div class="admin-form-row">
          <TextField {...shared} {...bind('lat')} label={t.garageAdmin.lat} required inputMode="decimal" />
          <TextField {...shared} {...bind('lon')} label={t.garageAdmin.lon} required inputMode="decimal" />
        </div>
      </fieldset>
      <div class="admin-form-row">
        <TextField {...shared} {...bind('vehicleCapacity')} label={f.capacity} required inputMode="decimal" />
        <TextField {...shared} {...bind('chargingPoints')} label={f.chargingPoints} inputMode="decimal" />
      </div>
      <div class="check-field">
        <input
          id={`${form}-acceptsReturns`}
          type="checkbox"
          checked={acceptsReturns}
          onChange={(e) => setAcceptsReturns(e.currentTarget.checked)}
        />
        <label for={`${form}-acceptsReturns`}>{f.acceptsReturns}</label>
      </div>
      <div class="check-field">
        <input
          id={`${form}-isRenting`}
          type="checkbox"
          checked={isRenting}
          onChange={(e) => setIsRenting(e.currentTarget.checked)}
        />
        <label for={`${form}-isRenting`}>{f.isRenting}</label>
      </div>
      <div class="admin-form-row">
        <TextField
          {...shared}
          {...bind('busStopRef')}
          label={f.busStopRef}
          hint={f.busStopRefHint}
          optional
          maxLength={64}
        />
        <TextField {...shared} {...bind('busStopName')} label={f.busStopName} optional maxLength={200} />
      </div>
      <TextField {...shared} {...bind('externalRef')} label={f.externalRef} optional maxLength={100} />
    </AdminForm>
  );
}
