import { type AdminSite, CREATE_SITE, UPDATE_SITE } from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatDegrees, parseDegrees } from '../number-input.ts';
import { AdminForm, TextField, useFields, useSave } from './admin-form.tsx';

const FIELDS = ['name', 'street', 'postalCode', 'city', 'lat', 'lon', 'openingHours'] as const;

/** Creates a site of the operator's town, or edits one: name, address, position, opening hours. */
export function SiteForm(props: { site?: AdminSite; onSaved(site: AdminSite): void; onCancel(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const a = t.garageAdmin;
  const { site } = props;
  const { values, bind } = useFields({
    name: site?.name ?? '',
    street: site?.address.street ?? '',
    postalCode: site?.address.postalCode ?? '',
    city: site?.address.city ?? '',
    lat: site ? formatDegrees(site.position.lat, i18n.lang) : '',
    lon: site ? formatDegrees(site.position.lon, i18n.lang) : '',
    openingHours: site?.openingHours ?? '',
  });
  const saving = useSave();
  const { error, setError, saveEntity } = saving;
  const form = site ? `site-${site.id}` : 'site-new';

  const submit = () => {
    const lat = parseDegrees(values.lat);
    const lon = parseDegrees(values.lon);
    if (lat === 'invalid') return setError({ field: 'lat', text: a.invalid.lat });
    if (lon === 'invalid') return setError({ field: 'lon', text: a.invalid.lon });
    const { name, street, postalCode, city, openingHours } = values;
    // Empty optional fields go as "", which the API stores as nothing (and so clears on edit).
    const input = { name, street, postalCode, city, openingHours, position: { lat, lon } };
    void saveEntity([CREATE_SITE, UPDATE_SITE], site?.id, input, {}, props.onSaved);
  };

  const shared = { form, error };
  return (
    <AdminForm
      id={form}
      title={site ? a.editSite(site.name) : a.newSiteTitle}
      fields={FIELDS}
      saving={saving}
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <TextField {...shared} {...bind('name')} label={a.siteName} required maxLength={200} />
      <TextField {...shared} {...bind('street')} label={a.street} optional maxLength={200} />
      <div class="admin-form-row">
        <TextField {...shared} {...bind('postalCode')} label={a.postalCode} optional maxLength={5} />
        <TextField {...shared} {...bind('city')} label={a.city} optional maxLength={100} />
      </div>
      <fieldset aria-describedby={`${form}-position-hint`}>
        <legend>{a.position}</legend>
        <p id={`${form}-position-hint`} class="hint">
          {a.positionHint}
        </p>
        <div class="admin-form-row">
          <TextField {...shared} {...bind('lat')} label={a.lat} required inputMode="decimal" />
          <TextField {...shared} {...bind('lon')} label={a.lon} required inputMode="decimal" />
        </div>
      </fieldset>
      <TextField
        {...shared}
        {...bind('openingHours')}
        label={a.openingHours}
        hint={a.openingHoursHint}
        optional
        maxLength={200}
      />
    </AdminForm>
  );
}
