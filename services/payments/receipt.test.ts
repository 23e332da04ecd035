import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import {
  BOOKING_WITH_PAYMENT,
  CONFIRM_BOOKING,
  createPaymentsTestPlatform,
  createTariff,
  type PaymentsTestPlatform,
} from './test-support/payments-platform.ts';

let p: PaymentsTestPlatform;
let owner: { token: string; email: string };
let receipt: { number: string; htmlUrl: string; pdfUrl: string };
let paymentId: string;

beforeAll(async () => {
  p = await createPaymentsTestPlatform();
  await sql`update tenant set merchant_address = 'Am Vreithof 8, 59494 Soest', vat_id = 'DE123456789'
    where id = 'soest'`.execute(p.database.db);
  await createTariff(p, 'soest', 'E_BIKE_CHARGING', { hour: 150, day: 900, deposit: 1000, vatRateBp: 1900 });
  const { spaces } = await createGarage(p.database.db, { tenantId: 'soest', spaces: { E_BIKE_CHARGING: 1 } });
  owner = await p.commuter('pia');
  await sql`update account set name = 'Pia <Pendler>' where email = ${owner.email}`.execute(p.database.db);
  const from = hoursFromNow(5);
  const created = await p.gql(
    CREATE_BOOKING,
    {
      input: {
        spaceId: spaces[0]!.id,
        from,
        to: new Date(from.getTime() + 3 * 3_600_000),
        idempotencyKey: 'r',
      },
    },
    owner.token,
  );
  const id = created.data.createBooking.id;
  const confirmed = (await p.gql(CONFIRM_BOOKING, { id }, owner.token)).data.confirmBooking;
  const intentId = confirmed.payment.clientSecret.split('_secret_')[0];
  await p.fake.client().paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
  await p.fake.deliver(p.fake.eventsOf('payment_intent.succeeded', intentId)[0]!);
  const booking = (await p.gql(BOOKING_WITH_PAYMENT, { id }, owner.token)).data.booking;
  receipt = booking.payment.receipt;
  paymentId = booking.payment.id;
});
afterAll(async () => {
  await p?.close();
});

describe('receipts (HTML and PDF), for the owner only', () => {
  it('the HTML receipt names the town as merchant and shows net, VAT and gross', async () => {
    const response = await fetch(`${p.baseUrl}${receipt.htmlUrl}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const html = await response.text();
    for (const text of [
      'Stadt Soest',
      'Am Vreithof 8, 59494 Soest',
      'DE123456789',
      receipt.number,
      // 3 hours at 1.50 € = 4.50 € gross, of which 19 % VAT 0.72 €, net 3.78 €; deposit 10 €.
      'Nettobetrag / net</td><td class="n">3,78',
      'Umsatzsteuer / VAT 19 %</td><td class="n">0,72',
      'Bruttobetrag / gross</td><td class="n">4,50',
      'Kaution (nicht umsatzsteuerbar)',
      '14,50',
    ]) {
      expect(html).toContain(text);
    }
    // The commuter's name is escaped, not markup.
    expect(html).toContain('Pia &lt;Pendler&gt;');
    expect(html).not.toContain('<Pendler>');
  });

  it('the PDF receipt is a PDF named by the receipt number, also with the access token', async () => {
    const response = await fetch(`${p.baseUrl}/payments/receipts/${paymentId}.pdf`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="${receipt.number}.pdf"`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(1000);
    const link = await fetch(`${p.baseUrl}${receipt.pdfUrl}`);
    expect(link.status).toBe(200);
  });

  it('nobody else gets it: another commuter 404, no credentials 401, a forged or foreign link 401', async () => {
    const other = await p.commuter();
    const asOther = await fetch(`${p.baseUrl}/payments/receipts/${paymentId}.html`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(asOther.status).toBe(404);
    expect((await fetch(`${p.baseUrl}/payments/receipts/${paymentId}.html`)).status).toBe(401);
    const forged = receipt.htmlUrl.replace(/access=.*$/, 'access=eyJhbGciOiJIUzI1NiJ9.e30.bad');
    expect((await fetch(`${p.baseUrl}${forged}`)).status).toBe(401);
    const access = new URL(receipt.htmlUrl, p.baseUrl).searchParams.get('access');
    const elsewhere = `${p.baseUrl}/payments/receipts/00000000-0000-0000-0000-000000000000.html?access=${access}`;
    expect((await fetch(elsewhere)).status).toBe(401);
    // The receipt link field is only given to the owner.
    const staff = await p.staff('soest', 'operator');
    const forStaff = await p.gql(
      `query { tenantBookings(from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { edges { node { payment { receipt { number } clientSecret } } } } }`,
      {},
      staff.token,
    );
    expect(forStaff.data.tenantBookings.edges[0].node.payment).toEqual({ receipt: null, clientSecret: null });
  });
});
