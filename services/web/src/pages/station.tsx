import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { gql, newIdempotencyKey } from '../api/client.ts';
import { watchPublic } from '../api/live.ts';
import {
  FORM_FACTORS,
  type FormFactor,
  RESERVE_VEHICLE,
  type ReserveResult,
  STATION_CHANGED,
  STATION_DETAIL,
  type StationDetail,
  type VehicleSummary,
} from '../api/station-operations.ts';
import { LabelledInput } from '../components/labelled-input.tsx';
import { periodFromSearch } from '../components/period-fields.tsx';
import { KindQuote } from '../components/trip-quote.tsx';
import { errorText, LoadState, Notice, PageTitle, useLoad } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, navigate, paths } from '../router.tsx';
import { useSession } from '../session.tsx';
import { defaultPeriod, formatDuration, fromLocalInput } from '../time.ts';

/**
 * A mobility station: what it offers, which vehicles are free for the chosen window (updated
 * live through stationChanged), and a reservation of one of them.
 */
export function StationPage({ id, search }: { id: string; search: URLSearchParams }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { account } = useSession();
  const initial = periodFromSearch(search, defaultPeriod());
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const kind = search.get('kind');
  const [formFactor, setFormFactor] = useState<FormFactor | ''>(
    FORM_FACTORS.includes(kind as FormFactor) ? (kind as FormFactor) : '',
  );
  const fromDate = fromLocalInput(from);
  const toDate = fromLocalInput(to);
  const valid = fromDate && toDate && toDate > fromDate;
  const fromIso = valid ? fromDate.toISOString() : undefined;
  const toIso = valid ? toDate.toISOString() : undefined;

  const loaded = useLoad(async () => {
    if (!fromIso || !toIso) return null;
    const { mobilityStation } = await gql<{ mobilityStation: StationDetail | null }>(STATION_DETAIL, {
      id,
      from: fromIso,
      to: toIso,
      formFactor: formFactor || null,
    });
    return mobilityStation;
  }, [id, fromIso, toIso, formFactor]);

  // A vehicle came, went or was reserved: ask again for the window on screen.
  const reload = useRef(loaded.reload);
  reload.current = loaded.reload;
  useEffect(() => watchPublic(STATION_CHANGED, { stationId: id }, () => reload.current()), [id]);

  const station = loaded.data;
  const free = station?.availability.freeVehicles ?? [];
  const byKind = useMemo(() => {
    const map = new Map<FormFactor, VehicleSummary[]>();
    for (const v of free) map.set(v.type.formFactor, [...(map.get(v.type.formFactor) ?? []), v]);
    return map;
  }, [free]);

  if (loaded.data === null && valid && !loaded.loading) {
    return (
      <>
        <PageTitle text={t.stations.notFound} />
        <Link href={paths.stations()}>{t.stations.back}</Link>
      </>
    );
  }

  return (
    <>
      <PageTitle text={station?.name ?? t.common.loading} />
      <p>
        <Link href={paths.stations()}>{t.stations.back}</Link>
      </p>
      {station && <StationFacts station={station} />}
      <form class="card" onSubmit={(e) => e.preventDefault()} aria-labelledby="window-heading">
        <h2 id="window-heading">{t.stations.window}</h2>
        <div class="period-fields">
          <div class="field">
            <label for="station-kind">{t.stations.formFactor}</label>
            <select
              id="station-kind"
              value={formFactor}
              onChange={(e) => setFormFactor(e.currentTarget.value as FormFactor | '')}
            >
              <option value="">{t.stations.anyFormFactor}</option>
              {FORM_FACTORS.map((f) => (
                <option key={f} value={f}>
                  {t.stations.formFactors[f]}
                </option>
              ))}
            </select>
          </div>
          <LabelledInput
            id="station-from"
            label={t.find.from}
            type="datetime-local"
            required
            value={from}
            onInput={setFrom}
          />
          <LabelledInput
            id="station-to"
            label={t.find.to}
            type="datetime-local"
            required
            value={to}
            invalid={!valid}
            describedBy={valid ? undefined : 'station-period-error'}
            onInput={setTo}
          />
          {!valid && (
            <p id="station-period-error" class="field-error" role="alert">
              {t.period.invalid}
            </p>
          )}
        </div>
        {valid && (
          <p class="hint">{t.period.duration(formatDuration(toDate.getTime() - fromDate.getTime(), t))}</p>
        )}
        <p class="hint">{t.stations.live}</p>
      </form>
      <LoadState loaded={loaded} />
      {station && valid && (
        <section class="card" aria-labelledby="free-heading">
          <h2 id="free-heading">{t.stations.freeVehicles}</h2>
          <ul class="type-counts" aria-live="polite" data-testid="free-counts">
            {[...byKind.keys(), ...(formFactor && !byKind.has(formFactor) ? [formFactor] : [])].map((f) => (
              <li key={f} class={byKind.get(f)?.length ? 'free' : 'full'}>
                {t.stations.freeOfKind(t.stations.formFactors[f], byKind.get(f)?.length ?? 0)}
              </li>
            ))}
          </ul>
          {byKind.size > 0 && (
            <div>
              <h3>{t.tripQuote.title}</h3>
              <ul class="plain-list" data-testid="trip-quotes" aria-live="polite">
                {[...byKind].map(([f, vehicles]) => (
                  <KindQuote
                    key={f}
                    kind={t.stations.formFactors[f]}
                    vehicleId={vehicles[0]!.id}
                    from={fromDate}
                    to={toDate}
                  />
                ))}
              </ul>
              <p class="hint">{t.tripQuote.rule}</p>
            </div>
          )}
          {free.length === 0 && <p>{t.stations.noneFree}</p>}
          <ul class="plain-list vehicle-list">
            {free.map((vehicle) => (
              <li key={vehicle.id} class="vehicle-item">
                <VehicleLine vehicle={vehicle} />
                {account ? (
                  <ReserveButton vehicle={vehicle} from={fromDate} to={toDate} />
                ) : (
                  <Link class="button" href={paths.signIn(`${location.pathname}${location.search}`)}>
                    {t.stations.signInToReserve}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function StationFacts({ station }: { station: StationDetail }) {
  const { t } = useI18n();
  const address = station.site.address;
  return (
    <section class="card" aria-labelledby="modes-heading">
      <p class="muted">
        {[address.street, [address.postalCode, address.city].filter(Boolean).join(' ')]
          .filter(Boolean)
          .join(', ')}
        {station.openingHours && <> · {t.site.openingHours(station.openingHours)}</>} ·{' '}
        {t.site.town(station.tenant.name)}
      </p>
      <h2 id="modes-heading">{t.stations.modes}</h2>
      <ul class="plain-list">
        <li>
          {t.stations.mode.vehicles}: {t.stations.parked(station.vehiclesParked, station.vehicleCapacity)}
        </li>
        {station.bikeGarage && (
          <li>
            <Link href={paths.site(station.bikeGarage.id)}>
              {t.stations.mode.bikeBoxes(station.bikeGarage.name)}
            </Link>
          </li>
        )}
        {station.chargingPoints > 0 && <li>{t.stations.mode.charging(station.chargingPoints)}</li>}
        {station.busStop?.name && <li>{t.stations.mode.busStop(station.busStop.name)}</li>}
        {station.bench && <li>{t.stations.mode.bench(station.bench.name)}</li>}
      </ul>
      {!station.isRenting && <Notice kind="info">{t.stations.notRenting}</Notice>}
      <p class="hint">
        {station.acceptsReturns
          ? station.oneWayReturns
            ? t.stations.oneWay
            : t.stations.sameStation
          : t.stations.noReturns}
      </p>
    </section>
  );
}

export function VehicleLine({ vehicle }: { vehicle: VehicleSummary }) {
  const i18n = useI18n();
  const { t } = i18n;
  const facts = [
    vehicle.batteryPercent !== null && t.stations.battery(i18n.number(vehicle.batteryPercent)),
    vehicle.currentRangeMeters !== null && t.stations.range(i18n.number(vehicle.currentRangeMeters / 1000)),
    vehicle.type.cargoLoadKg !== null && t.stations.cargo(vehicle.type.cargoLoadKg),
  ].filter(Boolean);
  return (
    <span>
      <strong>
        {vehicle.type.name} {vehicle.label}
      </strong>
      {facts.length > 0 && <span class="muted"> · {facts.join(' · ')}</span>}
    </span>
  );
}

function ReserveButton({ vehicle, from, to }: { vehicle: VehicleSummary; from: Date; to: Date }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per intended reservation: a retry after a lost answer never reserves twice.
  const key = useMemo(newIdempotencyKey, [vehicle.id, from.getTime(), to.getTime()]);
  const reserve = async () => {
    setBusy(true);
    setError(null);
    try {
      const { reserveVehicle: result } = await gql<{ reserveVehicle: ReserveResult }>(RESERVE_VEHICLE, {
        input: { vehicleId: vehicle.id, from: from.toISOString(), to: to.toISOString(), idempotencyKey: key },
      });
      if (result.__typename === 'VehicleReservation' && 'id' in result) {
        navigate(paths.vehicleReservation(result.id));
        return;
      }
      setError(errorText(i18n, result));
    } catch (err) {
      setError(errorText(i18n, err));
    }
    setBusy(false);
  };
  const errorId = `reserve-error-${vehicle.id}`;
  return (
    <>
      <button
        type="button"
        class="primary"
        onClick={reserve}
        disabled={busy}
        aria-describedby={error ? errorId : undefined}
      >
        {busy ? t.stations.reserving : t.stations.reserve(vehicle.label)}
      </button>
      {error && (
        <Notice kind="error" id={errorId}>
          {error}
        </Notice>
      )}
    </>
  );
}
