import type { PriceLine } from './pricing.ts';

/** Everything a receipt shows; assembled from the payment, its booking and the town. */
export interface Receipt {
  paymentId: string;
  number: string;
  issuedAt: Date;
  merchant: { name: string; address: string | null; vatId: string | null };
  customer: { name: string | null; email: string };
  booking: { id: string; siteName: string; spaceLabel: string; from: Date; to: Date };
  lines: PriceLine[];
  amountCents: number;
  vatCents: number;
  netCents: number;
  vatRateBp: number;
  depositCents: number;
  totalCents: number;
  refunds: { amountCents: number; reason: string; at: Date }[];
  method: 'stripe' | 'pay_on_site' | 'free';
  reference: string | null;
}

const unitNames = {
  HOUR: ['Stunde', 'hour'],
  DAY: ['Tag', 'day'],
  WEEK: ['Woche', 'week'],
  MONTH: ['Monat (30 Tage)', 'month (30 days)'],
  SUBSCRIPTION_MONTH: ['Abo-Monat (30 Tage)', 'subscription month (30 days)'],
} as const;

export function unitLabel(unit: PriceLine['unit']): string {
  const [de, en] = unitNames[unit];
  return `${de} / ${en}`;
}

const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
export function formatCents(cents: number): string {
  return euro.format(cents / 100);
}

export function formatRate(bp: number): string {
  return `${(bp / 100).toLocaleString('de-DE', { maximumFractionDigits: 2 })} %`;
}

const dateTime = new Intl.DateTimeFormat('de-DE', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Berlin',
});
export function formatDateTime(at: Date): string {
  return dateTime.format(at);
}

export const refundReasonLabel: Record<string, string> = {
  cancellation: 'Stornierung / cancellation',
  late_payment: 'Zahlung nach Ablauf der Reservierung / payment after the hold ended',
  deposit: 'Kaution zurück / deposit returned',
};

export const methodLabel: Record<Receipt['method'], string> = {
  stripe: 'Online (Karte u. a., Stripe)',
  pay_on_site: 'Zahlung vor Ort / paid on site',
  free: 'kostenlos / free',
};
