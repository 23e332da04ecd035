import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { BOOKING_QUERY, type Booking, type BookingResult, CONFIRM_BOOKING } from '../api/operations.ts';
import { loadPaymentConfig } from '../api/payment-config.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { QuoteLine, useQuote } from './quote.tsx';
import { StripeForm } from './stripe-form.tsx';
import { errorText, LoadState, Notice, useLoad } from './ui.tsx';

/** After Stripe took the money, the webhook confirms the booking; ask this often until it has. */
export const PAYMENT_POLL_MS = 2_000;

/**
 * A HELD booking on its way to CONFIRMED. Free and pay-on-site bookings are confirmed at
 * once; with Stripe, confirmBooking opens a payment, the Payment Element takes it, and
 * Stripe's webhook confirms the booking on the server, which this page then picks up.
 */
export function PaymentStep({ booking, onBooking }: { booking: Booking; onBooking(b: Booking): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const config = useLoad(loadPaymentConfig, []);
  const quote = useQuote(booking.space.id, booking.from, booking.to);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Back from a bank's page (3-D Secure): Stripe appends redirect_status to the return URL.
  const [waiting, setWaiting] = useState(
    () => new URLSearchParams(location.search).get('redirect_status') === 'succeeded',
  );

  const report = useRef(onBooking);
  report.current = onBooking;
  useEffect(() => {
    if (!waiting) return;
    const id = setInterval(async () => {
      const { booking: now } = await gql<{ booking: Booking | null }>(BOOKING_QUERY, {
        id: booking.id,
      }).catch(() => ({ booking: null }));
      if (now && (now.status !== 'HELD' || now.payment?.status === 'FAILED')) {
        setWaiting(false);
        report.current(now);
      }
    }, PAYMENT_POLL_MS);
    return () => clearInterval(id);
  }, [waiting, booking.id]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const { confirmBooking } = await gql<{ confirmBooking: BookingResult }>(CONFIRM_BOOKING, {
        id: booking.id,
      });
      if (confirmBooking.__typename === 'Booking' && 'id' in confirmBooking) return onBooking(confirmBooking);
      setError(errorText(i18n, confirmBooking));
    } catch (err) {
      setError(errorText(i18n, err));
    } finally {
      setBusy(false);
    }
  };

  const mode = config.data?.mode;
  const free = quote.data?.__typename === 'Quote' && 'free' in quote.data && quote.data.free;
  const payment = booking.payment;
  const openPayment = payment?.method === 'STRIPE' && payment.clientSecret ? payment : null;

  if (waiting) return <Notice kind="info">{t.booking.paymentWaiting}</Notice>;
  return (
    <div class="stack">
      <QuoteLine spaceId={booking.space.id} from={booking.from} to={booking.to} />
      <LoadState loaded={config} />
      {mode === 'PAY_ON_SITE' && !free && <p>{t.booking.payOnSite}</p>}
      {payment?.status === 'FAILED' && (
        <Notice kind="error">
          {t.booking.paymentFailed} {payment.failureMessage}
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {openPayment && config.data?.publishableKey ? (
        <StripeForm
          publishableKey={config.data.publishableKey}
          clientSecret={openPayment.clientSecret!}
          amount={i18n.money(openPayment.totalCents, openPayment.currency)}
          bookingId={booking.id}
          onPaid={() => setWaiting(true)}
        />
      ) : (
        mode && (
          <button type="button" class="primary" onClick={confirm} disabled={busy}>
            {busy
              ? t.booking.confirming
              : mode === 'STRIPE' && !free
                ? t.booking.toPayment
                : t.booking.confirm}
          </button>
        )
      )}
    </div>
  );
}
