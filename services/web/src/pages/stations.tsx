import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  MOBILITY_STATIONS,
  MY_VEHICLE_RESERVATIONS,
  type StationSummary,
  type VehicleReservation,
} from '../api/station-operations.ts';
import { NearMeNotes, TownSelect, useHere } from '../components/town-filter.tsx';
import { LoadState, Notice, PageTitle, useLoad } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, paths } from '../router.tsx';
import { useSession } from '../session.tsx';
import { SEARCH_RADIUS_KM } from './find.tsx';

/** Mobility stations of the region (by town or nearest first) and, signed in, my reservations. */
export function StationsPage({ search }: { search: URLSearchParams }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { account } = useSession();
  const [tenant, setTenant] = useState(search.get('tenant') ?? '');
  const { here, denied, locate } = useHere();

  const stations = useLoad(async () => {
    const { mobilityStations } = await gql<{ mobilityStations: { edges: { node: StationSummary }[] } }>(
      MOBILITY_STATIONS,
      {
        tenant: tenant || null,
        near: here,
        radiusKm: here ? SEARCH_RADIUS_KM : null,
      },
    );
    return mobilityStations.edges.map((e) => e.node);
  }, [tenant, here]);

  const onTown = (value: string) => {
    setTenant(value);
    history.replaceState(null, '', value ? `/stations?tenant=${encodeURIComponent(value)}` : '/stations');
  };

  const list = stations.data ?? [];
  return (
    <>
      <PageTitle text={t.stations.title} />
      <p>{t.stations.intro}</p>
      {account && <MyReservations />}
      <form class="filters card" onSubmit={(e) => e.preventDefault()} aria-label={t.stations.search}>
        <TownSelect
          id="stations-town"
          label={t.stations.town}
          allLabel={t.stations.allTowns}
          value={tenant}
          onChange={onTown}
        />
        <div class="actions">
          <button type="button" onClick={locate}>
            {t.stations.nearMe}
          </button>
        </div>
      </form>
      <NearMeNotes
        here={here}
        denied={denied}
        active={t.stations.nearMeActive}
        refused={t.stations.locationDenied}
      />
      <LoadState loaded={stations} />
      {stations.data && (
        <section aria-labelledby="stations-heading">
          <h2 id="stations-heading">
            {t.stations.list} <span class="count">({list.length})</span>
          </h2>
          {list.length === 0 && <p>{t.stations.none}</p>}
          <ol class="site-list">
            {list.map((station) => (
              <li key={station.id} class="card site-card station-card">
                <div>
                  <h3>{station.name}</h3>
                  <p class="muted">
                    {station.tenant.name}
                    {station.busStop?.name && <> · {t.stations.mode.busStop(station.busStop.name)}</>}
                  </p>
                  <p>{t.stations.parked(station.vehiclesParked, station.vehicleCapacity)}</p>
                  <Link
                    href={paths.station(station.id)}
                    class="button"
                    aria-label={t.stations.open(station.name)}
                  >
                    {t.stations.showStation}
                  </Link>
                </div>
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}

function MyReservations() {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(
    () =>
      gql<{
        myVehicleReservations: { edges: { node: VehicleReservation }[] };
        currentTrip: { id: string; status: string; vehicle: { label: string } } | null;
      }>(MY_VEHICLE_RESERVATIONS),
    [],
  );
  const reservations = loaded.data?.myVehicleReservations.edges.map((e) => e.node) ?? [];
  const current = reservations.find((r) => r.status === 'ACTIVE');
  return (
    <section class="card" aria-labelledby="my-reservations-heading">
      <h2 id="my-reservations-heading">{t.stations.myReservations}</h2>
      <LoadState loaded={loaded} />
      {loaded.data?.currentTrip && current && (
        <Notice kind="info">
          {t.stations.currentTrip(loaded.data.currentTrip.vehicle.label)}{' '}
          <Link href={paths.vehicleReservation(current.id)}>{t.stations.showReservation}</Link>
        </Notice>
      )}
      {loaded.data && reservations.length === 0 && <p>{t.stations.noReservations}</p>}
      {reservations.length > 0 && (
        <ul class="plain-list">
          {reservations.map((r) => (
            <li key={r.id}>
              <Link href={paths.vehicleReservation(r.id)}>
                {r.vehicle.type.name} {r.vehicle.label} · {r.station.name}
              </Link>
              <br />
              <span class="muted">
                {i18n.dateTime(r.from)} – {i18n.time(r.to)} · {t.reservationStatus[r.status]}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
