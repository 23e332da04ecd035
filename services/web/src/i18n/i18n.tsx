import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { de, type Messages } from './messages.de.ts';
import { en } from './messages.en.ts';

export type Lang = 'de' | 'en';
export const LANGS: readonly Lang[] = ['de', 'en'];
const catalogues: Record<Lang, Messages> = { de, en };
const STORAGE_KEY = 'swf.lang';

/** German unless the person chose English on this device before. */
function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

export interface I18n {
  lang: Lang;
  t: Messages;
  setLang(lang: Lang): void;
  dateTime(value: string | Date): string;
  time(value: string | Date): string;
  /** Cents in a currency as the reader writes money, e.g. "3,50 €" or "€3.50". */
  money(cents: number, currency?: string): string;
  number(value: number, fractionDigits?: number): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  useEffect(() => {
    // Screen readers and hyphenation follow <html lang>.
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18n>(() => {
    const locale = lang === 'de' ? 'de-DE' : 'en-GB';
    const dateTimeFormat = new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    return {
      lang,
      t: catalogues[lang],
      setLang(next) {
        try {
          localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // Private mode: the choice lasts for this page only.
        }
        setLangState(next);
      },
      dateTime: (v) => dateTimeFormat.format(new Date(v)),
      time: (v) => timeFormat.format(new Date(v)),
      money: (cents, currency = 'EUR') =>
        new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100),
      number: (v, fractionDigits = 0) =>
        new Intl.NumberFormat(locale, {
          minimumFractionDigits: fractionDigits,
          maximumFractionDigits: fractionDigits,
        }).format(v),
    };
  }, [lang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/**
 * The API writes some rule messages in both languages, "English / Deutsch"; show the
 * reader's half. Messages in one language come through unchanged.
 */
export function localizeServerMessage(message: string, lang: Lang): string {
  const parts = message.split(' / ');
  if (parts.length !== 2) return message;
  return (lang === 'en' ? parts[0] : parts[1])!.trim();
}
