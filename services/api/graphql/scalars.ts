import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.ts';

// ISO 8601 with a time zone (Z or ±hh:mm): a time without zone is ambiguous across DST.
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !isoDateTime.test(value)) {
    throw new GraphQLError(
      'DateTime must be an ISO 8601 string with time zone, e.g. 2026-11-23T07:00:00+01:00',
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  const date = new Date(value);
  // Date rolls 30 February over into March; a day that does not exist is a mistake, not a date.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(date.getTime()) || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    throw new GraphQLError(`"${value}" is not a real date and time`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant, as ISO 8601 with time zone (output is always UTC, e.g. 2026-11-23T06:00:00.000Z)',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parseDateTime(ast.value);
  },
});
