import { gql } from '../api/client.ts';
import {
  TRIP_QUOTE,
  type TripPriceLine,
  type TripQuote,
  type TripQuoteResult,
} from '../api/station-operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { errorText, LoadState, useLoad } from './ui.tsx';

/** The server's expected price of riding a vehicle for a period; asked again when one changes. */
function useTripQuote(vehicleId: string, from: Date | string, to: Date | string) {
  const fromIso = new Date(from).toISOString();
  const toIso = new Date(to).toISOString();
  return useLoad(
    async () =>
      (await gql<{ tripQuote: TripQuoteResult }>(TRIP_QUOTE, { vehicleId, from: fromIso, to: toIso }))
        .tripQuote,
    [vehicleId, fromIso, toIso],
  );
}

const isQuote = (r: TripQuoteResult): r is { __typename: 'TripQuote' } & TripQuote =>
  r !== null && r.__typename === 'TripQuote';

/** The tariff units a price is made of, e.g. "3 Stunden à 2,50 €". */
export function TripPriceLines({ lines, currency }: { lines: TripPriceLine[]; currency: string }) {
  const { t, money } = useI18n();
  return (
    <ul class="quote-lines">
      {lines.map((line) => (
        <li key={line.unit}>
          {t.quote.line(
            line.quantity,
            t.quote.lineUnit[line.unit](line.quantity),
            money(line.unitPriceCents, currency),
          )}
        </li>
      ))}
    </ul>
  );
}

/** Before the trip: what the reserved period is expected to cost, and how it is charged. */
export function TripQuoteLine(props: { vehicleId: string; from: Date | string; to: Date | string }) {
  const i18n = useI18n();
  const { t, money } = i18n;
  const loaded = useTripQuote(props.vehicleId, props.from, props.to);
  if (loaded.data === undefined) return <LoadState loaded={loaded} />;
  const quote = loaded.data;
  if (quote === null) return <p data-testid="trip-quote">{t.tripQuote.none}</p>;
  if (!isQuote(quote)) return <p data-testid="trip-quote">{errorText(i18n, quote)}</p>;
  return (
    <div data-testid="trip-quote" aria-live="polite">
      <p class="lead">
        <strong>{t.tripQuote.forReservation(money(quote.amountCents, quote.currency))}</strong>
      </p>
      <TripPriceLines lines={quote.lines} currency={quote.currency} />
      <p class="hint">{t.quote.vat(money(quote.vatCents, quote.currency))}</p>
      <p class="hint">{t.tripQuote.rule}</p>
    </div>
  );
}

/** One line of the station page's expected prices: the kind and its price for the window. */
export function KindQuote(props: { kind: string; vehicleId: string; from: Date; to: Date }) {
  const i18n = useI18n();
  const loaded = useTripQuote(props.vehicleId, props.from, props.to);
  const quote = loaded.data;
  if (quote === undefined) return null;
  const price =
    quote === null
      ? i18n.t.quote.free
      : isQuote(quote)
        ? i18n.money(quote.amountCents, quote.currency)
        : errorText(i18n, quote);
  return <li>{i18n.t.tripQuote.ofKind(props.kind, price)}</li>;
}
