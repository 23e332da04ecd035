import type { WaitlistEntry } from './waitlist.ts';

const spaceTypeNames = {
  de: {
    STANDARD: 'Standard-Box',
    E_BIKE_CHARGING: 'E-Bike-Box mit Lademöglichkeit',
    CARGO: 'Lastenrad-Box',
    LARGE: 'große Box',
  },
  en: {
    STANDARD: 'standard box',
    E_BIKE_CHARGING: 'e-bike box with charging',
    CARGO: 'cargo bike box',
    LARGE: 'large box',
  },
} as const;

function formatPeriod(entry: WaitlistEntry, locale: 'de' | 'en'): string {
  const format = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  });
  return `${format.format(entry.from)} – ${format.format(entry.to)}`;
}

/** The "a space is free" message, in the language the commuter chose. */
export function spaceFreedMessage(entry: WaitlistEntry, siteName: string, locale: 'de' | 'en') {
  const type = spaceTypeNames[locale][entry.spaceType];
  const period = formatPeriod(entry, locale);
  return locale === 'de'
    ? {
        subject: `Platz frei: ${siteName}`,
        body: `Eine ${type} in „${siteName}“ ist für ${period} frei geworden. Wer zuerst bucht, bekommt sie.`,
      }
    : {
        subject: `Space available: ${siteName}`,
        body: `A ${type} at "${siteName}" has become free for ${period}. The first to book gets it.`,
      };
}
