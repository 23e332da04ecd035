import { describe, expect, it } from 'vitest';
import { formatDegrees, formatHundredths, parseDegrees, parseHundredths } from './src/number-input.ts';

/** Operators type prices and VAT in their own notation; the API takes whole cents and basis points. */
describe('amounts typed in a form', () => {
  it.each([
    ['2,50', 250],
    ['2.50', 250],
    ['2,5', 250],
    ['2', 200],
    [' 12,00 € ', 1200],
    ['0', 0],
    ['19', 1900],
    ['7 %', 700],
    ['0,07', 7],
  ])('reads %j as %i hundredths', (text, hundredths) => {
    expect(parseHundredths(text)).toBe(hundredths);
  });

  it.each(['2.500', '1,000', '-1', 'zwei', '2,5,0', '1,234.50', '2,505'])('refuses %j', (text) => {
    expect(parseHundredths(text)).toBe('invalid');
  });

  it('reads an empty field as no amount', () => {
    expect(parseHundredths('  ')).toBeNull();
  });

  it('writes amounts back in the reader’s notation', () => {
    expect(formatHundredths(250, 'de')).toBe('2,50');
    expect(formatHundredths(250, 'en')).toBe('2.50');
    expect(formatHundredths(7, 'de')).toBe('0,07');
    expect(formatHundredths(null, 'en')).toBe('');
    for (const cents of [0, 5, 99, 100, 12345])
      expect(parseHundredths(formatHundredths(cents, 'de'))).toBe(cents);
  });

  it('reads coordinates with either decimal mark', () => {
    expect(parseDegrees('51,5782')).toBe(51.5782);
    expect(parseDegrees('-8.1')).toBe(-8.1);
    expect(parseDegrees('51°')).toBe('invalid');
    expect(parseDegrees('')).toBe('invalid');
    expect(formatDegrees(8.1085, 'de')).toBe('8,1085');
    expect(parseDegrees(formatDegrees(51.5782, 'de'))).toBe(51.5782);
  });
});
