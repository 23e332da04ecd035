import type { SubscriptionEndReason } from './subscription.ts';

function formatDate(at: Date, locale: 'de' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(at);
}

/** The notice that a subscription will end at the end of its paid period, and why. */
export function subscriptionEndingMessage(
  reason: Extract<SubscriptionEndReason, 'renewal_failed' | 'space_taken'>,
  endsAt: Date,
  detail: string | null,
  locale: 'de' | 'en',
) {
  const when = formatDate(endsAt, locale);
  if (locale === 'de') {
    return reason === 'renewal_failed'
      ? {
          subject: 'Abo-Verlängerung fehlgeschlagen',
          body: `Die Zahlung für den nächsten Monat Ihres Fahrradbox-Abos ist fehlgeschlagen${detail ? ` (${detail})` : ''}. Ihr Abo endet daher am ${when}. Bis dahin können Sie Ihre Box wie gewohnt nutzen; danach können Sie ein neues Abo abschließen.`,
        }
      : {
          subject: 'Ihr Abo endet',
          body: `Ihre Box ist nach dem ${when} bereits anderweitig gebucht. Ihr Abo endet daher zu diesem Zeitpunkt.`,
        };
  }
  return reason === 'renewal_failed'
    ? {
        subject: 'Subscription renewal failed',
        body: `The payment for the next month of your bike box subscription failed${detail ? ` (${detail})` : ''}. Your subscription therefore ends on ${when}. Until then you can use your box as usual; afterwards you can start a new subscription.`,
      }
    : {
        subject: 'Your subscription ends',
        body: `Your box is already booked by someone else after ${when}. Your subscription therefore ends then.`,
      };
}
