import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  OPERATOR_FLEET,
  type OperatorStation,
  type OperatorVehicle,
  type OperatorVehicleType,
  SET_ONE_WAY_RETURNS,
  UPDATE_VEHICLE,
} from '../api/station-operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, paths } from '../router.tsx';
import { DoneNotice, EditButton, RetireStep, sendAdmin, useSave } from './admin-form.tsx';
import { StationForm } from './station-form.tsx';
import { TripTariffs } from './trip-tariffs.tsx';
import { LoadState, Notice, TableScroll, useLoad } from './ui.tsx';
import { VehicleForm } from './vehicle-form.tsx';

type Panel =
  | { kind: 'newStation' }
  | { kind: 'editStation'; station: OperatorStation }
  | { kind: 'newVehicle' }
  | { kind: 'editVehicle'; vehicle: OperatorVehicle };

interface Fleet {
  mobilityStations: { edges: { node: OperatorStation }[] };
  tenantVehicles: OperatorVehicle[];
  vehicleTypes: OperatorVehicleType[];
}

/**
 * The town's mobility stations and shared vehicles with their live state; operators and
 * admins also create and edit stations, add, edit and retire vehicles, and set one-way returns.
 */
export function FleetSection({ tenantId, canManage }: { tenantId: string | undefined; canManage: boolean }) {
  const { t } = useI18n();
  const f = t.fleetAdmin;
  const loaded = useLoad(() => gql<Fleet>(OPERATOR_FLEET, { tenant: tenantId ?? null }), [tenantId]);
  const stations = loaded.data?.mobilityStations.edges.map((e) => e.node) ?? [];
  const vehicles = loaded.data?.tenantVehicles ?? [];
  const types = loaded.data?.vehicleTypes ?? [];
  const [panel, setPanel] = useState<Panel | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const open = (next: Panel) => {
    setDone(null);
    setPanel(next);
  };
  const finish = (text: string) => {
    setPanel(null);
    setDone(text);
    loaded.reload();
  };

  return (
    <section class="card" aria-labelledby="fleet-heading">
      <h2 id="fleet-heading">{t.operatorFleet.title}</h2>
      <LoadState loaded={loaded} />
      {done && <DoneNotice text={done} />}
      {loaded.data && (
        <>
          {canManage && stations.length > 0 && (
            <OneWaySwitch allowed={stations[0]!.oneWayReturns} onSaved={(a) => finish(f.oneWaySaved(a))} />
          )}
          {canManage && panel?.kind !== 'newStation' && (
            <button type="button" class="admin-open" onClick={() => open({ kind: 'newStation' })}>
              {f.newStation}
            </button>
          )}
          {panel?.kind === 'newStation' && (
            <StationForm onSaved={(s) => finish(f.stationCreated(s.name))} onCancel={() => setPanel(null)} />
          )}
          {panel?.kind === 'editStation' && (
            <StationForm
              station={panel.station}
              onSaved={(s) => finish(f.stationSaved(s.name))}
              onCancel={() => setPanel(null)}
            />
          )}
          <StationTable
            stations={stations}
            onEdit={canManage ? (station) => open({ kind: 'editStation', station }) : undefined}
          />
          {canManage && types.length === 0 && <Notice kind="info">{f.noTypes}</Notice>}
          {canManage && types.length > 0 && stations.length > 0 && panel?.kind !== 'newVehicle' && (
            <button type="button" class="admin-open" onClick={() => open({ kind: 'newVehicle' })}>
              {f.newVehicle}
            </button>
          )}
          {panel?.kind === 'newVehicle' && (
            <VehicleForm
              types={types}
              stations={stations}
              onSaved={(v) => finish(f.vehicleCreated(v.label))}
              onCancel={() => setPanel(null)}
            />
          )}
          {panel?.kind === 'editVehicle' && (
            <div class="admin-panel stack">
              <VehicleForm
                vehicle={panel.vehicle}
                types={types}
                stations={stations}
                onSaved={(v) => finish(f.vehicleSaved(v.label))}
                onCancel={() => setPanel(null)}
              />
              <RetireStep<OperatorVehicle>
                label={f.retireVehicle(panel.vehicle.label)}
                question={f.retireVehicleAsk(panel.vehicle.label)}
                send={() => sendAdmin(UPDATE_VEHICLE, { id: panel.vehicle.id, status: 'RETIRED' })}
                onRetired={(v) => finish(f.vehicleRetired(v.label))}
              />
            </div>
          )}
          <VehicleTable
            vehicles={vehicles}
            onEdit={canManage ? (vehicle) => open({ kind: 'editVehicle', vehicle }) : undefined}
          />
          {tenantId && <TripTariffs tenantId={tenantId} canManage={canManage} />}
        </>
      )}
    </section>
  );
}

/** The town's one-way rule as a checkbox that saves at once. */
function OneWaySwitch(props: { allowed: boolean; onSaved(allowed: boolean): void }) {
  const { t } = useI18n();
  const { busy, error, save } = useSave();
  // Shown as clicked at once; back to the saved rule if the API refuses.
  const [checked, setChecked] = useState(props.allowed);
  const toggle = async (allowed: boolean) => {
    setChecked(allowed);
    let saved = false;
    await save(
      () => sendAdmin(SET_ONE_WAY_RETURNS, { allowed }),
      () => {
        saved = true;
        props.onSaved(allowed);
      },
    );
    if (!saved) setChecked(props.allowed);
  };
  return (
    <div>
      <div class="check-field">
        <input
          id="one-way-returns"
          type="checkbox"
          checked={checked}
          disabled={busy}
          aria-describedby="one-way-hint"
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
        <label for="one-way-returns">{t.fleetAdmin.oneWay}</label>
      </div>
      <p id="one-way-hint" class="hint">
        {t.fleetAdmin.oneWayHint}
      </p>
      {error && <Notice kind="error">{error.text}</Notice>}
    </div>
  );
}

function StationTable(props: {
  stations: OperatorStation[];
  onEdit?: ((s: OperatorStation) => void) | undefined;
}) {
  const { t } = useI18n();
  const yesNo = (v: boolean) => (v ? t.common.yes : t.common.no);
  return (
    <TableScroll label={t.operatorFleet.stations}>
      <table>
        <caption>{t.operatorFleet.stations}</caption>
        <thead>
          <tr>
            <th scope="col">{t.operatorFleet.station}</th>
            <th scope="col">{t.operatorFleet.parked}</th>
            <th scope="col">{t.operatorFleet.returns}</th>
            <th scope="col">{t.operatorFleet.renting}</th>
            {props.onEdit && <th scope="col">{t.garageAdmin.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {props.stations.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                <Link href={paths.station(s.id)}>{s.name}</Link>
              </th>
              <td>
                {s.vehiclesParked} / {s.vehicleCapacity}
              </td>
              <td>{yesNo(s.acceptsReturns)}</td>
              <td>{yesNo(s.isRenting)}</td>
              {props.onEdit && (
                <td>
                  <EditButton name={t.fleetAdmin.editStation(s.name)} onClick={() => props.onEdit!(s)} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Lock, battery, position and last report of a vehicle's device, in a few words. */
function LiveState({ vehicle }: { vehicle: OperatorVehicle }) {
  const i18n = useI18n();
  const f = i18n.t.fleetAdmin;
  const live = vehicle.telematics;
  if (!live?.lastSeenAt && vehicle.batteryPercent === null) return <span class="muted">{f.noReport}</span>;
  const parts = [
    vehicle.batteryPercent !== null && `${i18n.number(vehicle.batteryPercent)} %`,
    live?.lockState && (f.lock[live.lockState] ?? live.lockState),
    live?.doorOpen && f.doorOpen,
    live?.online === false && f.offline,
    live?.lat != null && live.lon != null && f.position(i18n.number(live.lat, 4), i18n.number(live.lon, 4)),
    live?.lastSeenAt && i18n.dateTime(live.lastSeenAt),
  ].filter(Boolean);
  return <span>{parts.join(' · ')}</span>;
}

function VehicleTable(props: {
  vehicles: OperatorVehicle[];
  onEdit?: ((v: OperatorVehicle) => void) | undefined;
}) {
  const { t } = useI18n();
  return (
    <TableScroll label={t.operatorFleet.vehicles}>
      <table>
        <caption>{t.operatorFleet.vehicles}</caption>
        <thead>
          <tr>
            <th scope="col">{t.operatorFleet.vehicle}</th>
            <th scope="col">{t.operatorFleet.type}</th>
            <th scope="col">{t.operatorFleet.status}</th>
            <th scope="col">{t.operatorFleet.where}</th>
            <th scope="col">{t.fleetAdmin.live}</th>
            <th scope="col">{t.operatorFleet.device}</th>
            {props.onEdit && <th scope="col">{t.garageAdmin.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {props.vehicles.map((v) => (
            <tr key={v.id}>
              <th scope="row">{v.label}</th>
              <td>{t.stations.formFactors[v.type.formFactor]}</td>
              <td>{t.operatorFleet.vehicleStatus[v.status]}</td>
              <td>{v.station?.name ?? (v.status === 'RETIRED' ? '–' : t.operatorFleet.onTrip)}</td>
              <td>
                <LiveState vehicle={v} />
              </td>
              <td>
                <code>{v.deviceId ?? '–'}</code>
              </td>
              {props.onEdit && (
                <td>
                  {v.status !== 'RETIRED' && v.status !== 'IN_USE' && (
                    <EditButton name={t.fleetAdmin.editVehicle(v.label)} onClick={() => props.onEdit!(v)} />
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
