// GraphQL over HTTP for the k6 scripts: one POST per operation, tagged with the step name so
// that thresholds and the summary can tell the steps apart.
import { check } from 'k6';
import http from 'k6/http';

export const BASE_URL = (__ENV.BASE_URL || 'http://localhost:4000').replace(/\/$/, '');

/** POSTs an operation; returns { res, data, errors } with the body parsed once. */
export function gql(query, variables, token, step) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = http.post(`${BASE_URL}/graphql`, JSON.stringify({ query, variables: variables || {} }), {
    headers,
    tags: { step: step || 'graphql' },
  });
  let body = null;
  try {
    body = res.json();
  } catch (_) {
    body = null;
  }
  return { res, data: body?.data || null, errors: body?.errors || null };
}

/** The typed result of a mutation (its __typename), or a label for what went wrong instead. */
export function outcome(result, field) {
  if (result.res.status === 0) return 'network_error';
  if (result.res.status >= 500) return 'http_5xx';
  if (result.res.status >= 400) return `http_${result.res.status}`;
  if (result.errors && result.errors.length > 0) return 'graphql_error';
  const value = result.data?.[field];
  return value?.__typename ? value.__typename : 'missing';
}

/** A check that the answer is one of the expected typed results (never a 5xx or an untyped error). */
export function expectTyped(result, field, allowed, step) {
  const got = outcome(result, field);
  check(got, { [`${step}: typed answer (${allowed.join(' | ')})`]: (o) => allowed.includes(o) });
  return got;
}

/** k6 durations as the scripts take them from the environment: "45s", "2m", "1m30s". */
export function seconds(text, fallback) {
  const value = text || fallback;
  const match = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!match || (!match[1] && !match[2]))
    throw new Error(`Not a duration: ${value} (use e.g. 45s, 2m, 1m30s)`);
  return Number(match[1] || 0) * 60 + Number(match[2] || 0);
}

export function intEnv(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${raw}`);
  return value;
}
