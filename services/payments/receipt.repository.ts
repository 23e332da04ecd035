import type { Tx } from '../core/db/database.ts';
import { paymentRepository } from './payment.repository.ts';
import { formatReceiptNumber } from './payment.ts';
import type { Receipt } from './receipt.ts';
import { refundRepository } from './refund.repository.ts';

export const receiptRepository = {
  /** The receipt of a paid payment (one with a receipt number), or undefined. */
  async load(tx: Tx, paymentId: string): Promise<(Receipt & { accountId: string }) | undefined> {
    const payment = await paymentRepository.findById(tx, paymentId);
    if (!payment?.receiptNumber || !payment.paidAt) return undefined;
    const row = await tx
      .selectFrom('booking')
      .innerJoin('site', 'site.id', 'booking.site_id')
      .innerJoin('space', 'space.id', 'booking.space_id')
      .innerJoin('account', 'account.id', 'booking.account_id')
      .innerJoin('tenant', 'tenant.id', 'booking.tenant_id')
      .select([
        'booking.id',
        'booking.starts_at',
        'booking.ends_at',
        'site.name as site_name',
        'space.label as space_label',
        'account.email',
        'account.name as account_name',
        'tenant.name as tenant_name',
        'tenant.merchant_address',
        'tenant.vat_id',
      ])
      .where('booking.id', '=', payment.bookingId)
      .executeTakeFirst();
    if (!row) return undefined;
    const refunds = (await refundRepository.listRefunds(tx, payment.id)).filter(
      (r) => r.status === 'submitted' || r.status === 'succeeded',
    );
    const netCents = payment.amountCents - payment.vatCents;
    return {
      accountId: payment.accountId,
      paymentId: payment.id,
      number: formatReceiptNumber(payment.tenantId, payment.receiptNumber),
      issuedAt: payment.paidAt,
      merchant: { name: row.tenant_name, address: row.merchant_address, vatId: row.vat_id },
      customer: { name: row.account_name, email: row.email },
      booking: {
        id: row.id,
        siteName: row.site_name,
        spaceLabel: row.space_label,
        from: row.starts_at,
        to: row.ends_at,
      },
      lines: payment.lines,
      amountCents: payment.amountCents,
      vatCents: payment.vatCents,
      netCents,
      vatRateBp: payment.vatRateBp,
      depositCents: payment.depositCents,
      totalCents: payment.amountCents + payment.depositCents,
      refunds: refunds.map((r) => ({ amountCents: r.amountCents, reason: r.reason, at: r.createdAt })),
      method: payment.method,
      reference: payment.stripePaymentIntentId,
    };
  },
};
