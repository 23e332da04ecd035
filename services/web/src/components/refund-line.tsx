import { gql } from '../api/client.ts';
import { CANCELLATION_QUOTE, type CancellationQuoteResult, type Payment } from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { errorText, LoadState, useLoad } from './ui.tsx';

/** What a cancellation gives back now, by the town's refund policy (deposit included). */
export function RefundLine({ bookingId, payment }: { bookingId: string; payment: Payment | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(
    async () =>
      (await gql<{ cancellationQuote: CancellationQuoteResult }>(CANCELLATION_QUOTE, { id: bookingId }))
        .cancellationQuote,
    [bookingId],
  );
  const quote = loaded.data;
  if (!quote) return <LoadState loaded={loaded} />;
  if (quote.__typename !== 'CancellationQuote' || !('refundCents' in quote))
    return <p>{errorText(i18n, quote)}</p>;
  if (quote.refundCents > 0) {
    return <p data-testid="refund">{t.booking.refund(i18n.money(quote.refundCents, payment?.currency))}</p>;
  }
  const paidOnline = payment?.method === 'STRIPE' && payment.status !== 'REQUIRES_PAYMENT';
  return <p data-testid="refund">{paidOnline ? t.booking.noRefund : t.booking.nothingPaid}</p>;
}
