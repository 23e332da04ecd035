import {
  formatCents,
  formatDateTime,
  formatRate,
  methodLabel,
  type Receipt,
  refundReasonLabel,
  unitLabel,
} from './receipt.ts';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => escapes[c]!);
}

/** A self-contained, printable HTML receipt (Quittung), German first with English. */
export function renderReceiptHtml(r: Receipt): string {
  const lines = r.lines
    .map(
      (l) =>
        `<tr><td>${esc(unitLabel(l.unit))}</td><td class="n">${l.quantity}</td><td class="n">${formatCents(l.unitPriceCents)}</td><td class="n">${formatCents(l.amountCents)}</td></tr>`,
    )
    .join('');
  const refunds = r.refunds
    .map(
      (x) =>
        `<tr><td colspan="3">${esc(refundReasonLabel[x.reason] ?? x.reason)}, ${formatDateTime(x.at)}</td><td class="n">−${formatCents(x.amountCents)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Quittung ${esc(r.number)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#111}
table{width:100%;border-collapse:collapse;margin:1rem 0}td,th{padding:.35rem;border-bottom:1px solid #ccc;text-align:left}
.n{text-align:right;white-space:nowrap}.total td{font-weight:bold;border-top:2px solid #111}
@media print{body{margin:0}}
</style></head><body>
<header>
<h1>Quittung / Receipt</h1>
<p><strong>${esc(r.merchant.name)}</strong>${r.merchant.address ? `<br>${esc(r.merchant.address)}` : ''}${r.merchant.vatId ? `<br>USt-IdNr. / VAT ID: ${esc(r.merchant.vatId)}` : ''}</p>
<p>Nr. / No.: <strong>${esc(r.number)}</strong><br>Datum / Date: ${formatDateTime(r.issuedAt)}</p>
<p>Kunde / Customer: ${esc(r.customer.name ?? '')} &lt;${esc(r.customer.email)}&gt;</p>
</header>
<section>
<h2>Leistung / Service</h2>
<p>Fahrradabstellplatz / bike space ${esc(r.booking.spaceLabel)}, ${esc(r.booking.siteName)}<br>
${formatDateTime(r.booking.from)} – ${formatDateTime(r.booking.to)}<br>Buchung / booking ${esc(r.booking.id)}</p>
<table>
<thead><tr><th>Einheit / unit</th><th class="n">Menge / qty</th><th class="n">Einzelpreis / unit price</th><th class="n">Betrag / amount</th></tr></thead>
<tbody>${lines}
<tr><td colspan="3">Nettobetrag / net</td><td class="n">${formatCents(r.netCents)}</td></tr>
<tr><td colspan="3">Umsatzsteuer / VAT ${formatRate(r.vatRateBp)}</td><td class="n">${formatCents(r.vatCents)}</td></tr>
<tr><td colspan="3">Bruttobetrag / gross</td><td class="n">${formatCents(r.amountCents)}</td></tr>
${r.depositCents > 0 ? `<tr><td colspan="3">Kaution (nicht umsatzsteuerbar) / deposit (no VAT)</td><td class="n">${formatCents(r.depositCents)}</td></tr>` : ''}
<tr class="total"><td colspan="3">Gezahlt / paid</td><td class="n">${formatCents(r.totalCents)}</td></tr>
${refunds}
</tbody></table>
<p>Zahlungsart / payment: ${esc(methodLabel[r.method])}${r.reference ? `, Referenz / reference ${esc(r.reference)}` : ''}</p>
</section>
</body></html>
`;
}
