import { errors, jwtVerify, SignJWT } from 'jose';
import type { Db } from '../core/db/database.ts';
import { isUuid } from '../core/ids.ts';
import { type Actor, systemActor, withActor } from '../core/tenancy.ts';
import type { Payment } from './payment.ts';
import { renderReceiptHtml } from './receipt.html.ts';
import { renderReceiptPdf } from './receipt.pdf.ts';
import { receiptRepository } from './receipt.repository.ts';
import type { Receipt } from './receipt.ts';

/** Receipt links from GraphQL work this long; the API hands out fresh ones on every query. */
export const RECEIPT_LINK_TTL_MINUTES = 60;
export const RECEIPT_ROUTE = '/payments/receipts';
const audience = 'swf-receipt';

export type ReceiptFormat = 'html' | 'pdf';

/**
 * Receipts of paid payments, for their owner only. The route takes the owner's access token
 * (Authorization header) or a short-lived link token bound to one payment and one account,
 * so that a browser can open the PDF in a plain link without handing out its access token.
 */
export class ReceiptService {
  private readonly key: Uint8Array;

  constructor(
    private readonly db: Db,
    secret: string,
  ) {
    this.key = new TextEncoder().encode(`${secret}:receipt-link`);
  }

  /** Links to the owner's receipt, or null when there is none (not paid, or not the owner). */
  async links(actor: Actor, payment: Payment): Promise<{ html: string; pdf: string } | null> {
    if (!actor.accountId || actor.accountId !== payment.accountId || !payment.receiptNumber) return null;
    const token = await new SignJWT({ acct: payment.accountId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(payment.id)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${RECEIPT_LINK_TTL_MINUTES}m`)
      .sign(this.key);
    const base = `${RECEIPT_ROUTE}/${payment.id}`;
    return { html: `${base}.html?access=${token}`, pdf: `${base}.pdf?access=${token}` };
  }

  /** The account a link token was issued to, or null if it is forged, expired or for another payment. */
  async verifyLink(token: string, paymentId: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { audience, algorithms: ['HS256'] });
      return payload.sub === paymentId && typeof payload.acct === 'string' ? payload.acct : null;
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }

  /** The receipt if `accountId` owns the payment; anyone else gets nothing (as if it did not exist). */
  async load(paymentId: string, accountId: string): Promise<Receipt | undefined> {
    if (!isUuid(paymentId)) return undefined;
    const receipt = await withActor(this.db, systemActor, (tx) => receiptRepository.load(tx, paymentId));
    return receipt && receipt.accountId === accountId ? receipt : undefined;
  }

  async render(
    receipt: Receipt,
    format: ReceiptFormat,
  ): Promise<{ body: string | Buffer; contentType: string }> {
    return format === 'html'
      ? { body: renderReceiptHtml(receipt), contentType: 'text/html; charset=utf-8' }
      : { body: await renderReceiptPdf(receipt), contentType: 'application/pdf' };
  }
}
