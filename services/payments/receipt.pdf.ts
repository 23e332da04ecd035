import PDFDocument from 'pdfkit';
import {
  formatCents,
  formatDateTime,
  formatRate,
  methodLabel,
  type Receipt,
  refundReasonLabel,
  unitLabel,
} from './receipt.ts';

/** The same receipt as a PDF (A4, standard fonts, which cover German umlauts and €). */
export function renderReceiptPdf(r: Receipt): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `Quittung ${r.number}`, Author: r.merchant.name, Subject: 'Quittung / Receipt' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(18).text('Quittung / Receipt');
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(11).text(r.merchant.name);
  doc.font('Helvetica');
  if (r.merchant.address) doc.text(r.merchant.address);
  if (r.merchant.vatId) doc.text(`USt-IdNr. / VAT ID: ${r.merchant.vatId}`);
  doc
    .moveDown()
    .text(`Nr. / No.: ${r.number}`)
    .text(`Datum / Date: ${formatDateTime(r.issuedAt)}`);
  doc.text(`Kunde / Customer: ${r.customer.name ?? ''} <${r.customer.email}>`);
  doc.moveDown().font('Helvetica-Bold').text('Leistung / Service').font('Helvetica');
  doc.text(`Fahrradabstellplatz / bike space ${r.booking.spaceLabel}, ${r.booking.siteName}`);
  doc.text(`${formatDateTime(r.booking.from)} – ${formatDateTime(r.booking.to)}`);
  doc.text(`Buchung / booking ${r.booking.id}`);
  doc.moveDown();

  const row = (label: string, amount: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(label, 56, y, { width: 360 });
    const after = doc.y;
    doc.text(amount, 416, y, { width: 120, align: 'right' });
    doc.y = Math.max(after, doc.y);
  };
  for (const l of r.lines) {
    row(
      `${l.quantity} × ${unitLabel(l.unit)} à ${formatCents(l.unitPriceCents)}`,
      formatCents(l.amountCents),
    );
  }
  doc.moveDown(0.5);
  row('Nettobetrag / net', formatCents(r.netCents));
  row(`Umsatzsteuer / VAT ${formatRate(r.vatRateBp)}`, formatCents(r.vatCents));
  row('Bruttobetrag / gross', formatCents(r.amountCents));
  if (r.depositCents > 0)
    row('Kaution (nicht umsatzsteuerbar) / deposit (no VAT)', formatCents(r.depositCents));
  row('Gezahlt / paid', formatCents(r.totalCents), true);
  for (const x of r.refunds) {
    row(
      `${refundReasonLabel[x.reason] ?? x.reason}, ${formatDateTime(x.at)}`,
      `-${formatCents(x.amountCents)}`,
    );
  }
  doc
    .moveDown()
    .font('Helvetica')
    .text(
      `Zahlungsart / payment: ${methodLabel[r.method]}${r.reference ? `, Referenz / reference ${r.reference}` : ''}`,
      56,
    );
  doc.end();
  return done;
}
