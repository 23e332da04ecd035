import { gql } from '../api/client.ts';
import { OPERATOR_FLEET, type OperatorStation, type OperatorVehicle } from '../api/station-operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, paths } from '../router.tsx';
import { LoadState, TableScroll, useLoad } from './ui.tsx';

/** The town's mobility stations (occupancy, returns, renting) and every shared vehicle. */
export function FleetSection({ tenantId }: { tenantId: string | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(
    () =>
      gql<{ mobilityStations: { edges: { node: OperatorStation }[] }; tenantVehicles: OperatorVehicle[] }>(
        OPERATOR_FLEET,
        { tenant: tenantId ?? null },
      ),
    [tenantId],
  );
  const stations = loaded.data?.mobilityStations.edges.map((e) => e.node) ?? [];
  const vehicles = loaded.data?.tenantVehicles ?? [];
  const yesNo = (v: boolean) => (v ? t.common.yes : t.common.no);
  return (
    <section class="card" aria-labelledby="fleet-heading">
      <h2 id="fleet-heading">{t.operatorFleet.title}</h2>
      <LoadState loaded={loaded} />
      {loaded.data && (
        <>
          <TableScroll label={t.operatorFleet.stations}>
            <table>
              <caption>{t.operatorFleet.stations}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.operatorFleet.station}</th>
                  <th scope="col">{t.operatorFleet.parked}</th>
                  <th scope="col">{t.operatorFleet.returns}</th>
                  <th scope="col">{t.operatorFleet.renting}</th>
                </tr>
              </thead>
              <tbody>
                {stations.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <Link href={paths.station(s.id)}>{s.name}</Link>
                    </th>
                    <td>
                      {s.vehiclesParked} / {s.vehicleCapacity}
                    </td>
                    <td>{yesNo(s.acceptsReturns)}</td>
                    <td>{yesNo(s.isRenting)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <TableScroll label={t.operatorFleet.vehicles}>
            <table>
              <caption>{t.operatorFleet.vehicles}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.operatorFleet.vehicle}</th>
                  <th scope="col">{t.operatorFleet.type}</th>
                  <th scope="col">{t.operatorFleet.status}</th>
                  <th scope="col">{t.operatorFleet.where}</th>
                  <th scope="col">{t.operatorFleet.battery}</th>
                  <th scope="col">{t.operatorFleet.device}</th>
                </tr>
              </thead>
              <tbody>
                {vehicles.map((v) => (
                  <tr key={v.id}>
                    <th scope="row">{v.label}</th>
                    <td>{t.stations.formFactors[v.type.formFactor]}</td>
                    <td>{t.operatorFleet.vehicleStatus[v.status]}</td>
                    <td>{v.station?.name ?? t.operatorFleet.onTrip}</td>
                    <td>{v.batteryPercent !== null ? `${i18n.number(v.batteryPercent)} %` : '–'}</td>
                    <td>
                      <code>{v.deviceId ?? '–'}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
