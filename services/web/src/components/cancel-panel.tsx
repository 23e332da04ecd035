import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { type Booking, type BookingResult, CANCEL_BOOKING } from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { RefundLine } from './refund-line.tsx';
import { errorText, Notice } from './ui.tsx';

/** Cancelling asks once more, with what comes back, before it happens. */
export function CancelPanel({ booking, onCancelled }: { booking: Booking; onCancelled(b: Booking): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const question = useRef<HTMLParagraphElement>(null);
  // The button that opened the question is gone: keyboard focus continues at the question.
  useEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      const { cancelBooking } = await gql<{ cancelBooking: BookingResult }>(CANCEL_BOOKING, {
        id: booking.id,
      });
      if (cancelBooking.__typename === 'Booking' && 'id' in cancelBooking) return onCancelled(cancelBooking);
      setError(errorText(i18n, cancelBooking));
    } catch (err) {
      setError(errorText(i18n, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">{t.booking.cancelTitle}</h2>
      {!asking ? (
        <button type="button" class="danger-outline" onClick={() => setAsking(true)}>
          {t.booking.cancel}
        </button>
      ) : (
        <div class="stack">
          <p id="cancel-ask" ref={question} tabIndex={-1}>
            <strong>{t.booking.cancelAsk}</strong>
          </p>
          <RefundLine bookingId={booking.id} payment={booking.payment} />
          {error && <Notice kind="error">{error}</Notice>}
          <div class="actions">
            <button type="button" class="danger" onClick={cancel} disabled={busy}>
              {busy ? t.booking.cancelling : t.booking.cancelYes}
            </button>
            <button type="button" onClick={() => setAsking(false)} disabled={busy}>
              {t.booking.cancelNo}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
