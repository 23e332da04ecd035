import type { Stripe, StripeElements } from '@stripe/stripe-js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.tsx';
import { paths } from '../router.tsx';
import { Notice } from './ui.tsx';

/**
 * Stripe's Payment Element for an open payment. Stripe.js loads from Stripe only here, on
 * demand; card data goes from Stripe's frame to Stripe, never through this app.
 */
export function StripeForm(props: {
  publishableKey: string;
  clientSecret: string;
  amount: string;
  bookingId: string;
  onPaid(): void;
}) {
  const { t, lang } = useI18n();
  const mountPoint = useRef<HTMLDivElement>(null);
  const stripe = useRef<{ stripe: Stripe; elements: StripeElements } | null>(null);
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let destroy: (() => void) | undefined;
    setReady(false);
    import('@stripe/stripe-js')
      .then(({ loadStripe }) => loadStripe(props.publishableKey))
      .then((loaded) => {
        if (cancelled || !mountPoint.current) return;
        if (!loaded) throw new Error('Stripe.js unavailable');
        const elements = loaded.elements({ clientSecret: props.clientSecret, locale: lang });
        const element = elements.create('payment');
        element.mount(mountPoint.current);
        element.on('ready', () => setReady(true));
        destroy = () => element.destroy();
        stripe.current = { stripe: loaded, elements };
      })
      .catch(() => !cancelled && setError(t.errors.paymentUnavailable));
    return () => {
      cancelled = true;
      destroy?.();
      stripe.current = null;
    };
  }, [props.publishableKey, props.clientSecret, lang, t.errors.paymentUnavailable]);

  const pay = async () => {
    if (!stripe.current) return;
    setBusy(true);
    setError(null);
    const { error: failed } = await stripe.current.stripe.confirmPayment({
      elements: stripe.current.elements,
      // Cards without 3-D Secure finish here; the others come back to this booking's page.
      redirect: 'if_required',
      confirmParams: { return_url: `${location.origin}${paths.booking(props.bookingId)}` },
    });
    setBusy(false);
    if (failed) setError(failed.message ?? t.booking.paymentFailed);
    else props.onPaid();
  };

  return (
    <div class="stack">
      <h3>{t.booking.paymentForm}</h3>
      {!ready && !error && <p>{t.booking.paymentLoading}</p>}
      <div ref={mountPoint} class="stripe-element" />
      {error && <Notice kind="error">{error}</Notice>}
      <button type="button" class="primary" onClick={pay} disabled={!ready || busy}>
        {busy ? t.booking.paying : t.booking.payNow(props.amount)}
      </button>
    </div>
  );
}
