import { useState } from 'preact/hooks';
import {
  CREATE_VEHICLE,
  type OperatorStation,
  type OperatorVehicle,
  type OperatorVehicleType,
  UPDATE_VEHICLE,
} from '../api/station-operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { AdminForm, SelectField, sendAdmin, TextField, useFields, useSave } from './admin-form.tsx';

const FIELDS = ['vehicleTypeId', 'label', 'deviceId', 'homeStationId', 'stationId', 'status'] as const;

/**
 * Adds a vehicle to a station of the operator's town, or edits one: its type, label and
 * telematics device, whether it is in service, and where it stands (moving it rebalances).
 */
export function VehicleForm(props: {
  vehicle?: OperatorVehicle;
  types: OperatorVehicleType[];
  stations: OperatorStation[];
  onSaved(vehicle: OperatorVehicle): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const f = t.fleetAdmin;
  const { vehicle, types, stations } = props;
  const { values, bind } = useFields({ label: vehicle?.label ?? '', deviceId: vehicle?.deviceId ?? '' });
  const [typeId, setTypeId] = useState(vehicle?.type.id ?? types[0]?.id ?? '');
  const [stationId, setStationId] = useState(vehicle?.station?.id ?? stations[0]?.id ?? '');
  const [status, setStatus] = useState<'AVAILABLE' | 'MAINTENANCE'>(
    vehicle?.status === 'MAINTENANCE' ? 'MAINTENANCE' : 'AVAILABLE',
  );
  const saving = useSave();
  const { error, save } = saving;
  const form = vehicle ? `vehicle-${vehicle.id}` : 'vehicle-new';

  const submit = () => {
    const base = { label: values.label.trim(), deviceId: values.deviceId.trim(), vehicleTypeId: typeId };
    if (!vehicle) {
      void save<OperatorVehicle>(
        () => sendAdmin(CREATE_VEHICLE, { input: { ...base, homeStationId: stationId } }),
        props.onSaved,
      );
      return;
    }
    void save<OperatorVehicle>(
      () =>
        sendAdmin(UPDATE_VEHICLE, {
          id: vehicle.id,
          ...base,
          status,
          // A vehicle out on a trip has no station; it is not moved from here.
          stationId: vehicle.station && stationId !== vehicle.station.id ? stationId : null,
        }),
      props.onSaved,
    );
  };

  const shared = { form, error };
  const stationOptions = stations.map((s) => ({ value: s.id, label: s.name }));
  return (
    <AdminForm
      id={form}
      title={vehicle ? f.editVehicle(vehicle.label) : f.newVehicleTitle}
      fields={FIELDS}
      saving={saving}
      onSubmit={submit}
      onCancel={props.onCancel}
    >
      <SelectField
        {...shared}
        field="vehicleTypeId"
        label={f.vehicleType}
        value={typeId}
        options={types.map((ty) => ({ value: ty.id, label: ty.name }))}
        onChange={setTypeId}
      />
      <TextField {...shared} {...bind('label')} label={f.label} required maxLength={60} />
      <TextField
        {...shared}
        {...bind('deviceId')}
        label={f.device}
        hint={f.deviceHint}
        required
        maxLength={64}
      />
      {(!vehicle || vehicle.station) && (
        <SelectField
          {...shared}
          field={vehicle ? 'stationId' : 'homeStationId'}
          label={vehicle ? f.station : f.homeStation}
          value={stationId}
          options={stationOptions}
          onChange={setStationId}
        />
      )}
      {vehicle && vehicle.status !== 'IN_USE' && (
        <SelectField<'AVAILABLE' | 'MAINTENANCE'>
          {...shared}
          field="status"
          label={f.status}
          value={status}
          options={[
            { value: 'AVAILABLE', label: f.inService },
            { value: 'MAINTENANCE', label: f.maintenance },
          ]}
          onChange={setStatus}
        />
      )}
    </AdminForm>
  );
}
