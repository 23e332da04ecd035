import { type Logger, pino } from 'pino';

export type { Logger };

/** JSON logs on stdout; one line per event so that any log shipper can read them. */
export function createLogger(level: string, name = 'swf'): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}
