import type { Messages } from './i18n/messages.de.ts';

/** Searches start at the next quarter hour: the box opens that early anyway (town grace ≥ 15 min). */
export const START_STEP_MINUTES = 15;
/** The period a search offers unless the person changes it. */
export const DEFAULT_DURATION_HOURS = 2;

const minute = 60_000;

export function defaultPeriod(now = new Date()): { from: Date; to: Date } {
  const step = START_STEP_MINUTES * minute;
  const from = new Date(Math.ceil(now.getTime() / step) * step);
  return { from, to: new Date(from.getTime() + DEFAULT_DURATION_HOURS * 60 * minute) };
}

/** `<input type="datetime-local">` speaks local wall-clock time without a zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The browser reads a zone-less local value in its own time zone; invalid input gives null. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2 Tagen 3 Std. 5 Min." / "2 days 3 h 5 min": the two largest units, seconds only under a minute. */
export function formatDuration(ms: number, t: Messages): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(t.countdown.days(days));
  if (hours > 0) parts.push(t.countdown.hours(hours));
  if (minutes > 0 && days === 0) parts.push(t.countdown.minutes(minutes));
  if (total < 60) parts.push(t.countdown.seconds(seconds));
  return parts.slice(0, 2).join(' ');
}
