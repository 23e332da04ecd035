import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { watchAuthenticated } from '../api/live.ts';
import {
  type Connection,
  DEVICE_ALERT_RAISED,
  DEVICE_ALERTS,
  DEVICES,
  type Device,
  type DeviceAlert,
  RESOLVE_ALERT,
} from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { errorText, LoadState, Notice, TableScroll, useLoad } from './ui.tsx';

/** Device states have no subscription of their own; alerts do, and a poll covers the rest. */
const DEVICE_REFRESH_MS = 30_000;

export function DevicesSection() {
  const i18n = useI18n();
  const { t } = i18n;
  const devices = useLoad(() => gql<{ devices: Connection<Device> }>(DEVICES), []);
  const alerts = useLoad(() => gql<{ deviceAlerts: Connection<DeviceAlert> }>(DEVICE_ALERTS), []);
  const [live, setLive] = useState<DeviceAlert[]>([]);
  const [resolved, setResolved] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const reloaders = useRef({ devices: devices.reload, alerts: alerts.reload });
  reloaders.current = { devices: devices.reload, alerts: alerts.reload };

  useEffect(() => {
    const stop = watchAuthenticated<{ deviceAlertRaised: DeviceAlert }>(
      DEVICE_ALERT_RAISED,
      {},
      ({ deviceAlertRaised }) => {
        setLive((current) => [deviceAlertRaised, ...current.filter((a) => a.id !== deviceAlertRaised.id)]);
        reloaders.current.devices();
      },
      // Back after a dropped stream: what was raised meanwhile is in the list query.
      () => reloaders.current.alerts(),
    );
    const poll = setInterval(() => reloaders.current.devices(), DEVICE_REFRESH_MS);
    return () => {
      stop();
      clearInterval(poll);
    };
  }, []);

  const listed = alerts.data?.deviceAlerts.edges.map((e) => e.node) ?? [];
  const shown = [...live, ...listed.filter((a) => !live.some((l) => l.id === a.id))].filter(
    (a) => !resolved.has(a.id),
  );

  const resolve = async (id: string) => {
    setError(null);
    try {
      const { resolveDeviceAlert } = await gql<{
        resolveDeviceAlert: { __typename: string; message?: string };
      }>(RESOLVE_ALERT, { id });
      if (resolveDeviceAlert.message) return setError(errorText(i18n, resolveDeviceAlert));
      setResolved((current) => new Set(current).add(id));
    } catch (err) {
      setError(errorText(i18n, err));
    }
  };

  const list = devices.data?.devices.edges.map((e) => e.node) ?? [];
  const yesNo = (value: boolean | null, yes: string, no: string) => (value === null ? '–' : value ? yes : no);
  return (
    <>
      <section class="card" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">{t.operator.alerts}</h2>
        <p class="hint">{t.operator.liveAlerts}</p>
        <LoadState loaded={alerts} />
        {error && <Notice kind="error">{error}</Notice>}
        {alerts.data && shown.length === 0 && <p>{t.operator.noAlerts}</p>}
        <ul class="plain-list" aria-live="polite" data-testid="alerts">
          {shown.map((alert) => (
            <li key={alert.id} class="alert-item">
              <div>
                <strong>{t.operator.alertKind[alert.kind]}</strong> · <code>{alert.deviceId ?? '–'}</code>
                <br />
                <span class="muted">
                  {i18n.dateTime(alert.openedAt)}
                  {alert.detail && ` · ${alert.detail}`}
                </span>
              </div>
              <button type="button" onClick={() => resolve(alert.id)}>
                {t.operator.resolve}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="devices-heading">
        <h2 id="devices-heading">{t.operator.devices}</h2>
        <LoadState loaded={devices} />
        {devices.data && list.length === 0 && <p>{t.operator.noDevices}</p>}
        {list.length > 0 && (
          <TableScroll label={t.operator.devices}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.operator.deviceName}</th>
                  <th scope="col">{t.operator.online}</th>
                  <th scope="col">{t.operator.battery}</th>
                  <th scope="col">{t.operator.door}</th>
                  <th scope="col">{t.operator.lockState}</th>
                  <th scope="col">{t.operator.lastSeen}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <code>{d.name ?? d.id}</code>
                    </td>
                    <td class={d.online === false ? 'bad' : undefined}>
                      {yesNo(d.online, t.operator.isOnline, t.operator.isOffline)}
                    </td>
                    <td>{d.batteryPercent === null ? '–' : `${i18n.number(d.batteryPercent)} %`}</td>
                    <td>{yesNo(d.doorOpen, t.operator.doorOpen, t.operator.doorClosed)}</td>
                    <td>{d.lockState ?? '–'}</td>
                    <td>{d.lastSeenAt ? i18n.dateTime(d.lastSeenAt) : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </>
  );
}
