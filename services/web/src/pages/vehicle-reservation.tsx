import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  CANCEL_VEHICLE_RESERVATION,
  END_TRIP,
  type EndTripResult,
  MOBILITY_STATIONS,
  START_TRIP,
  type StartTripResult,
  type StationSummary,
  type TripRecord,
  VEHICLE_RESERVATION,
  type VehicleReservation,
} from '../api/station-operations.ts';
import { LockAction } from '../components/lock-action.tsx';
import { TripPriceLines, TripQuoteLine } from '../components/trip-quote.tsx';
import { errorText, LoadState, Notice, PageTitle, useLoad } from '../components/ui.tsx';
import { type I18n, useI18n } from '../i18n/i18n.tsx';
import { Link, paths } from '../router.tsx';
import { formatDuration } from '../time.ts';
import { VehicleLine } from './station.tsx';

/** Worded when shown, so a change of language re-words what the lock or the API said. */
type Answer = { kind: 'success' | 'error' | 'info'; text(i18n: I18n): string };

/** One reservation of a shared vehicle: start the trip, end it at a station, its record. */
export function VehicleReservationPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(
    () => gql<{ vehicleReservation: VehicleReservation | null }>(VEHICLE_RESERVATION, { id }),
    [id],
  );
  // Kept here: the lock's answer stays on screen after the start panel gives way to the end panel.
  const [lockAnswer, setLockAnswer] = useState<Answer | null>(null);
  const reservation = loaded.data?.vehicleReservation;
  if (loaded.data && !reservation) return <PageTitle text={t.errors.notFound} />;
  const trip = reservation?.trip;
  return (
    <>
      <PageTitle text={t.trip.title} />
      <LoadState loaded={loaded} />
      {reservation && (
        <>
          <section class="card" aria-label={t.trip.title}>
            <dl class="facts">
              <dt>{t.trip.vehicle}</dt>
              <dd>
                <VehicleLine vehicle={reservation.vehicle} />
              </dd>
              <dt>{t.trip.station}</dt>
              <dd>
                <Link href={paths.station(reservation.station.id)}>{reservation.station.name}</Link>
              </dd>
              <dt>{t.trip.period}</dt>
              <dd>
                {i18n.dateTime(reservation.from)} – {i18n.dateTime(reservation.to)}
              </dd>
              <dt>{t.trip.status}</dt>
              <dd data-testid="reservation-status">
                {t.reservationStatus[reservation.status]}
                {trip && ` · ${t.tripStatus[trip.status]}`}
              </dd>
            </dl>
          </section>
          {reservation.status === 'CONFIRMED' ? (
            <StartPanel
              reservation={reservation}
              onChanged={loaded.reload}
              answer={lockAnswer}
              setAnswer={setLockAnswer}
            />
          ) : (
            lockAnswer && (
              <div data-testid="start-answer">
                <Notice kind={lockAnswer.kind}>{lockAnswer.text(i18n)}</Notice>
              </div>
            )
          )}
          {trip?.status === 'ACTIVE' && (
            <EndPanel trip={trip} tenantId={reservation.station.tenant.id} onEnded={loaded.reload} />
          )}
          {trip?.status === 'COMPLETED' && <TripRecordView trip={trip} />}
        </>
      )}
    </>
  );
}

function StartPanel(props: {
  reservation: VehicleReservation;
  onChanged(): void;
  answer: Answer | null;
  setAnswer(answer: Answer | null): void;
}) {
  const { reservation, onChanged, answer, setAnswer } = props;
  const reservationId = reservation.id;
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    setAnswer(null);
    try {
      const { startTrip: r } = await gql<{ startTrip: StartTripResult }>(START_TRIP, { reservationId });
      if (r.__typename === 'Trip' && 'status' in r) {
        const lock = (r.unlockCommand?.status ?? 'ACKED') as keyof typeof t.trip.lockAnswer;
        setAnswer({
          kind: r.status === 'ACTIVE' ? 'success' : 'info',
          text: (i) => i.t.trip.lockAnswer[lock] ?? i.t.trip.lockAnswer.ACKED,
        });
        onChanged();
      } else if (r.__typename === 'UnlockFailedError' && 'message' in r) {
        setAnswer({ kind: 'error', text: (i) => i.t.trip.unlockFailed(r.deviceState ?? i.t.common.unknown) });
      } else if (r.__typename === 'DeviceUnreachableError') {
        setAnswer({ kind: 'error', text: (i) => i.t.trip.unreachable });
      } else {
        setAnswer({ kind: 'error', text: (i) => errorText(i, r) });
      }
    } catch (err) {
      setAnswer({ kind: 'error', text: (i) => errorText(i, err) });
    }
    setBusy(false);
  };

  const cancel = async () => {
    setBusy(true);
    try {
      const { cancelVehicleReservation: r } = await gql<{
        cancelVehicleReservation: { __typename: string; message?: string };
      }>(CANCEL_VEHICLE_RESERVATION, { id: reservationId });
      if (r.__typename === 'VehicleReservation') onChanged();
      else setAnswer({ kind: 'error', text: (i) => errorText(i, r) });
    } catch (err) {
      setAnswer({ kind: 'error', text: (i) => errorText(i, err) });
    }
    setBusy(false);
  };

  return (
    <section class="card" aria-labelledby="start-heading">
      <h2 id="start-heading">{t.trip.startTitle}</h2>
      <TripQuoteLine vehicleId={reservation.vehicle.id} from={reservation.from} to={reservation.to} />
      <p class="hint">{t.trip.startHint}</p>
      <LockAction
        answerId="start-answer"
        label={t.trip.start}
        busyLabel={t.trip.starting}
        busy={busy}
        onClick={start}
        answer={answer && { kind: answer.kind, text: answer.text(i18n) }}
      />
      <p>
        <button type="button" class="link-button" onClick={cancel} disabled={busy}>
          {t.trip.cancel}
        </button>
      </p>
    </section>
  );
}

/** The typed refusals of endTrip in the reader's words; anything else through errorText. */
export function endTripErrorText(i18n: I18n, result: Exclude<EndTripResult, { __typename: 'Trip' }>) {
  const { t } = i18n;
  switch (result.__typename) {
    case 'StationFullError':
      return t.trip.errors.stationFull;
    case 'VehicleNotLockedError':
      return t.trip.errors.notLocked;
    case 'VehicleNotAtStationError':
      return t.trip.errors.notAtStation(result.metersFromStation ?? 0);
    case 'ReturnNotAllowedError':
      return result.reason ? t.trip.errors[result.reason] : errorText(i18n, result);
    default:
      return errorText(i18n, result);
  }
}

function EndPanel(props: { trip: TripRecord; tenantId: string; onEnded(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const stations = useLoad(async () => {
    const { mobilityStations } = await gql<{ mobilityStations: { edges: { node: StationSummary }[] } }>(
      MOBILITY_STATIONS,
      { tenant: props.tenantId },
    );
    return mobilityStations.edges.map((e) => e.node).filter((s) => s.acceptsReturns);
  }, [props.tenantId]);
  const [stationId, setStationId] = useState(props.trip.startStation.id);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer | null>(null);

  const end = async () => {
    setBusy(true);
    setAnswer(null);
    try {
      const { endTrip: r } = await gql<{ endTrip: EndTripResult }>(END_TRIP, {
        tripId: props.trip.id,
        stationId,
      });
      if (r.__typename === 'Trip') {
        setAnswer({ kind: 'success', text: (i) => i.t.trip.ended });
        props.onEnded();
      } else {
        setAnswer({
          kind: 'error',
          text: (i) => endTripErrorText(i, r as Exclude<EndTripResult, { __typename: 'Trip' }>),
        });
      }
    } catch (err) {
      setAnswer({ kind: 'error', text: (i) => errorText(i, err) });
    }
    setBusy(false);
  };

  return (
    <section class="card" aria-labelledby="end-heading">
      <h2 id="end-heading">{t.trip.endTitle}</h2>
      <p class="hint">{t.trip.endHint}</p>
      <LoadState loaded={stations} />
      {!stations.data && <p>{props.trip.startStation.name}</p>}
      <div class="field">
        <label for="return-station">{t.trip.returnStation}</label>
        <select id="return-station" value={stationId} onChange={(e) => setStationId(e.currentTarget.value)}>
          {(stations.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({t.stations.parked(s.vehiclesParked, s.vehicleCapacity)})
            </option>
          ))}
        </select>
      </div>
      <LockAction
        answerId="end-answer"
        label={t.trip.end}
        busyLabel={t.trip.ending}
        busy={busy}
        onClick={end}
        answer={answer && { kind: answer.kind, text: answer.text(i18n) }}
      />
    </section>
  );
}

function TripRecordView({ trip }: { trip: TripRecord }) {
  const i18n = useI18n();
  const { t } = i18n;
  const currency = trip.priceCurrency ?? 'EUR';
  const price =
    trip.priceStatus === 'QUOTED' && trip.priceCents !== null
      ? t.trip.priceStatus.QUOTED(i18n.money(trip.priceCents, currency))
      : trip.priceStatus === 'QUOTED'
        ? t.trip.priceStatus.OPEN
        : t.trip.priceStatus[trip.priceStatus];
  return (
    <section class="card" aria-labelledby="record-heading" data-testid="trip-record">
      <h2 id="record-heading">{t.trip.record}</h2>
      <dl class="facts">
        <dt>{t.trip.from}</dt>
        <dd>{trip.startStation.name}</dd>
        <dt>{t.trip.to}</dt>
        <dd>{trip.endStation?.name ?? '–'}</dd>
        <dt>{t.trip.startedAt}</dt>
        <dd>{trip.startedAt ? i18n.dateTime(trip.startedAt) : '–'}</dd>
        <dt>{t.trip.endedAt}</dt>
        <dd>{trip.endedAt ? i18n.dateTime(trip.endedAt) : '–'}</dd>
        <dt>{t.trip.duration}</dt>
        <dd>{trip.durationSeconds !== null ? formatDuration(trip.durationSeconds * 1000, t) : '–'}</dd>
        <dt>{t.trip.distance}</dt>
        <dd>
          {trip.distanceMeters !== null ? t.trip.km(i18n.number(trip.distanceMeters / 1000, 1)) : '–'}
          {trip.positionConfirmed !== null && (
            <>
              <br />
              <span class="muted">
                {trip.positionConfirmed ? t.trip.positionConfirmed : t.trip.positionUnconfirmed}
              </span>
            </>
          )}
        </dd>
        <dt>{t.trip.price}</dt>
        <dd data-testid="trip-price">
          <strong>{price}</strong>
          {trip.priceLines.length > 0 && <TripPriceLines lines={trip.priceLines} currency={currency} />}
          {trip.priceVatCents !== null && trip.priceVatRateBasisPoints !== null && (
            <p class="hint">
              {t.trip.vatIncluded(
                i18n.money(trip.priceVatCents, currency),
                i18n.number(trip.priceVatRateBasisPoints / 100),
              )}
            </p>
          )}
          {trip.payment === 'PAY_ON_SITE_OR_INVOICE' && (
            <Notice kind="info">{t.trip.payment.PAY_ON_SITE_OR_INVOICE}</Notice>
          )}
        </dd>
      </dl>
    </section>
  );
}
