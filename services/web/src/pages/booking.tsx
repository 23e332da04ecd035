import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { BOOKING_QUERY, type Booking, type Payment } from '../api/operations.ts';
import { pinFor } from '../api/pin-store.ts';
import { CancelPanel } from '../components/cancel-panel.tsx';
import { Countdown, useNow } from '../components/countdown.tsx';
import { PaymentStep } from '../components/payment-step.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { LoadState, Notice, PageTitle, useLoad } from '../components/ui.tsx';
import { UnlockPanel } from '../components/unlock-panel.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, paths } from '../router.tsx';
import { useSession } from '../session.tsx';

export function BookingPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { account } = useSession();
  const loaded = useLoad(
    async () => (account ? (await gql<{ booking: Booking | null }>(BOOKING_QUERY, { id })).booking : null),
    [id, account?.id],
  );
  // Mutations answer with the booking as it is now; show that without another round trip.
  const [fresh, setFresh] = useState<Booking | null>(null);
  const [justConfirmed, setJustConfirmed] = useState(false);
  const booking = fresh ?? loaded.data;

  if (account === null) {
    return (
      <>
        <PageTitle text={t.booking.title} />
        <Link class="button primary" href={paths.signIn(paths.booking(id))}>
          {t.nav.signIn}
        </Link>
      </>
    );
  }
  if (loaded.data === null && !fresh) {
    return (
      <>
        <PageTitle text={t.booking.title} />
        <Notice kind="error">{t.booking.notFound}</Notice>
        <Link href={paths.account()}>{t.booking.toAccount}</Link>
      </>
    );
  }
  if (!booking) {
    return (
      <>
        <PageTitle text={t.booking.title} />
        <LoadState loaded={loaded} />
      </>
    );
  }

  const live = booking.status === 'CONFIRMED' || booking.status === 'ACTIVE';
  const pin = pinFor(booking.id);
  return (
    <>
      <PageTitle text={t.booking.title} />
      <section class="card booking-summary" aria-label={t.booking.title}>
        <p class="lead">
          <strong>{booking.site.name}</strong>
          <br />
          {t.booking.box(booking.space.label)} · {t.spaceType[booking.space.type]}
        </p>
        <dl class="facts">
          <dt>{t.booking.period}</dt>
          <dd>
            <BookingPeriod booking={booking} />
          </dd>
          <dt>{t.booking.status}</dt>
          <dd data-testid="booking-status">{t.bookingStatus[booking.status]}</dd>
        </dl>
        {booking.payment && booking.status !== 'HELD' && <PaymentSummary payment={booking.payment} />}
        {live && <BookingCountdown booking={booking} />}
      </section>

      {justConfirmed && <Notice kind="success">{t.booking.confirmed}</Notice>}

      {booking.status === 'HELD' && (
        <ConfirmStep
          booking={booking}
          onConfirmed={(b) => {
            setFresh(b);
            setJustConfirmed(b.status === 'CONFIRMED');
          }}
        />
      )}

      {live && (
        <section class="card" aria-labelledby="access-heading">
          <h2 id="access-heading">{pin ? t.booking.pinTitle : t.booking.qrTitle}</h2>
          {pin ? (
            <>
              <p class="pin">
                {/* Read digit by digit, not as one large number. */}
                <span aria-hidden="true" data-testid="access-pin">
                  {pin}
                </span>
                <span class="visually-hidden">{pin.split('').join(' ')}</span>
              </p>
              <p class="hint">{t.booking.pinOnce}</p>
              <h3>{t.booking.qrTitle}</h3>
            </>
          ) : (
            <p class="hint">{t.booking.pinGone}</p>
          )}
          {booking.qrToken ? (
            <QrCode value={booking.qrToken} label={t.booking.qrAlt(booking.space.label)} />
          ) : (
            <p>{t.booking.qrUnavailable}</p>
          )}
        </section>
      )}

      {live && (
        <UnlockPanel
          bookingId={booking.id}
          onAnswered={async () => {
            // The first opening makes the booking ACTIVE: show its state as it is now.
            const { booking: now } = await gql<{ booking: Booking | null }>(BOOKING_QUERY, { id });
            if (now) setFresh(now);
          }}
        />
      )}

      {(booking.status === 'HELD' || booking.status === 'CONFIRMED') && (
        <CancelPanel booking={booking} onCancelled={setFresh} />
      )}
      {booking.status === 'CANCELLED' && <Notice kind="info">{t.booking.cancelled}</Notice>}

      <p>
        <Link href={paths.account()}>{t.booking.toAccount}</Link>
      </p>
    </>
  );
}

/** Counts down to the start, then to the end. */
function BookingCountdown({ booking }: { booking: Booking }) {
  const { t } = useI18n();
  const now = useNow();
  if (now < Date.parse(booking.from)) return <Countdown label={t.booking.startsIn} target={booking.from} />;
  if (now < Date.parse(booking.to)) return <Countdown label={t.booking.endsIn} target={booking.to} />;
  return <p>{t.booking.ended}</p>;
}

export function BookingPeriod({ booking }: { booking: Pick<Booking, 'from' | 'to'> }) {
  const { dateTime, time } = useI18n();
  const sameDay = new Date(booking.from).toDateString() === new Date(booking.to).toDateString();
  return (
    <>
      {dateTime(booking.from)} – {sameDay ? time(booking.to) : dateTime(booking.to)}
    </>
  );
}

/** A HELD booking: how long the hold lasts, then pay (or not) and confirm. */
function ConfirmStep({ booking, onConfirmed }: { booking: Booking; onConfirmed(b: Booking): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section class="card" aria-labelledby="confirm-heading">
      <h2 id="confirm-heading">{t.booking.paymentTitle}</h2>
      {booking.holdExpiresAt && (
        <>
          <p>{t.booking.holdUntil(i18n.time(booking.holdExpiresAt))}</p>
          <Countdown label={t.booking.holdCountdown} target={booking.holdExpiresAt} />
        </>
      )}
      <PaymentStep booking={booking} onBooking={onConfirmed} />
    </section>
  );
}

/** What was charged, its state, refunds and the receipt. */
function PaymentSummary({ payment }: { payment: Payment }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (payment.method === 'FREE') return <p>{t.booking.freeBooking}</p>;
  const price = (cents: number) => i18n.money(cents, payment.currency);
  return (
    <>
      <p data-testid="payment-summary">
        {t.booking.paymentSummary(t.booking.paymentStates[payment.status], price(payment.totalCents))}
      </p>
      {payment.refundedCents > 0 && <p>{t.booking.refunded(price(payment.refundedCents))}</p>}
      {payment.receipt && (
        <p>
          <a href={payment.receipt.htmlUrl} target="_blank" rel="noopener">
            {t.booking.receipt(payment.receipt.number)}
          </a>
        </p>
      )}
    </>
  );
}
