/** The app's languages (as in i18n.tsx, which the Node typecheck cannot read: it has JSX). */
type Lang = 'de' | 'en';

/**
 * Amounts typed by a person: "2,50" (German) or "2.50" (English) into hundredths, so euros
 * become cents and per cent becomes basis points without binary floating point in between.
 * Either mark is read as the decimal mark when one or two digits follow it; "2.500" or "1,000"
 * is refused rather than guessed, since a German reads the first as two thousand five hundred.
 */
export function parseHundredths(text: string): number | null | 'invalid' {
  const trimmed = text.replace(/[\s€%]/g, '');
  if (trimmed === '') return null;
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(trimmed);
  if (!match) return 'invalid';
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Hundredths back as the reader writes them: 250 → "2,50" in German, "2.50" in English. */
export function formatHundredths(value: number | null, lang: Lang): string {
  if (value === null) return '';
  const text = `${Math.trunc(value / 100)}.${String(value % 100).padStart(2, '0')}`;
  return lang === 'de' ? text.replace('.', ',') : text;
}

/** A coordinate in decimal degrees with either decimal mark ("51,5782" or "51.5782"). */
export function parseDegrees(text: string): number | 'invalid' {
  const trimmed = text.trim().replace(',', '.');
  return /^-?\d{1,3}(\.\d+)?$/.test(trimmed) ? Number(trimmed) : 'invalid';
}

/** Degrees as the reader writes them, for a form that edits them. */
export function formatDegrees(value: number, lang: Lang): string {
  const text = String(value);
  return lang === 'de' ? text.replace('.', ',') : text;
}
