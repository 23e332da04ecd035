import { gql } from '../api/client.ts';
import { QUOTE, type QuoteResult } from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { errorText, type Loaded, LoadState, useLoad } from './ui.tsx';

/** The price of a space for a period (quote), asked again whenever one of them changes. */
export function useQuote(spaceId: string, from: Date | string, to: Date | string): Loaded<QuoteResult> {
  const fromIso = new Date(from).toISOString();
  const toIso = new Date(to).toISOString();
  return useLoad(
    async () => (await gql<{ quote: QuoteResult }>(QUOTE, { spaceId, from: fromIso, to: toIso })).quote,
    [spaceId, fromIso, toIso],
  );
}

/** What the space costs for the period, as confirmBooking will charge it. */
export function QuoteLine(props: { spaceId: string; from: Date | string; to: Date | string }) {
  const i18n = useI18n();
  const { t, money } = i18n;
  const loaded = useQuote(props.spaceId, props.from, props.to);
  const quote = loaded.data;
  if (!quote) return <LoadState loaded={loaded} />;
  if (quote.__typename !== 'Quote' || !('free' in quote)) return <p>{errorText(i18n, quote)}</p>;
  if (quote.free) return <p data-testid="quote">{t.quote.free}</p>;
  const price = (cents: number) => money(cents, quote.currency);
  return (
    <div data-testid="quote" aria-live="polite">
      <p class="lead">
        <strong>{t.quote.total(price(quote.totalCents))}</strong>
      </p>
      <ul class="quote-lines">
        {quote.lines.map((line) => (
          <li key={line.unit}>
            {t.quote.line(
              line.quantity,
              t.quote.lineUnit[line.unit](line.quantity),
              price(line.unitPriceCents),
            )}
          </li>
        ))}
      </ul>
      {quote.depositCents > 0 && <p class="hint">{t.quote.deposit(price(quote.depositCents))}</p>}
      <p class="hint">{t.quote.vat(price(quote.vatCents))}</p>
    </div>
  );
}
