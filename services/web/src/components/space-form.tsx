import { useState } from 'preact/hooks';
import { CREATE_SPACE, type SpaceType, type StaffSpace, UPDATE_SPACE } from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { AdminForm, SpaceTypeField, TextField, useFields, useSave } from './admin-form.tsx';

const FIELDS = ['label', 'type', 'lockDeviceId'] as const;

/** Adds a space to a site, or edits one: its label, kind and the lock that opens it. */
export function SpaceForm(props: {
  siteId: string;
  siteName: string;
  space?: StaffSpace;
  onSaved(space: StaffSpace): void;
  onCancel(): void;
}) {
  const a = useI18n().t.garageAdmin;
  const { space } = props;
  const { values, bind } = useFields({ label: space?.label ?? '', lockDeviceId: space?.lockDeviceId ?? '' });
  const [type, setType] = useState<SpaceType>(space?.type ?? 'STANDARD');
  const saving = useSave();
  const { error, saveEntity } = saving;
  const form = space ? `space-${space.id}` : 'space-new';

  const submit = () => {
    // No lock is null, not "": the API checks a given device id against the lock id rule.
    const fields = { label: values.label, type, lockDeviceId: values.lockDeviceId.trim() || null };
    void saveEntity([CREATE_SPACE, UPDATE_SPACE], space?.id, fields, { siteId: props.siteId }, props.onSaved);
  };

  return (
    <AdminForm
      id={form}
      title={space ? a.editSpace(space.label) : a.newSpaceTitle(props.siteName)}
      fields={FIELDS}
      saving={saving}
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <TextField form={form} error={error} {...bind('label')} label={a.spaceLabel} required maxLength={60} />
      <SpaceTypeField
        form={form}
        error={error}
        field="type"
        label={a.spaceType}
        value={type}
        onChange={setType}
      />
      <TextField
        form={form}
        error={error}
        {...bind('lockDeviceId')}
        label={a.lockDevice}
        hint={a.lockDeviceHint}
        optional
        maxLength={64}
      />
    </AdminForm>
  );
}
